"""Project import from CSV or XLSX files (issue 7): read, check every row, import all or none.

Used by the upload page (``views/importing.py``) and ``manage.py import_projects``.
"""

from .columns import COLUMNS
from .reading import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, Table, table_read
from .running import CREATE, INVALID, UPDATE, ImportReport, project_import
from .template import template_csv, template_xlsx
from .uploads import upload_claim, upload_discard, upload_load, upload_store

__all__ = [
    "COLUMNS",
    "CREATE",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "INVALID",
    "UPDATE",
    "ImportReport",
    "Table",
    "project_import",
    "table_read",
    "template_csv",
    "template_xlsx",
    "upload_claim",
    "upload_discard",
    "upload_load",
    "upload_store",
]
