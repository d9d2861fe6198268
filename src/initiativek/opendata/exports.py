"""A data set as CSV, JSON or XLSX.

CSV and JSON are produced row by row (for streaming responses), XLSX with openpyxl's write-only
workbook. In CSV and XLSX, text cells pass through ``core.spreadsheets.safe_cell`` (formula
injection), lists are joined with ``"; "`` and booleans written as ``ja``/``nein``; numbers stay
numbers. JSON keeps the values as they are: the same keys, arrays for lists, true/false.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from initiativek.core.spreadsheets import safe_cell

from .datasets import Dataset

BOM = "\ufeff"
LIST_SEPARATOR = "; "


def _rows(dataset: Dataset) -> Iterator[dict]:
    """The rows, built in German (labels of kinds and states) whatever the request's language."""
    with translation.override("de"):
        yield from dataset.rows()


def spreadsheet_value(value) -> str | int:
    """One JSON-ready value as a spreadsheet cell: numbers stay numbers, the rest is safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return safe_cell(str(value))


def csv_lines(dataset: Dataset, *, delimiter: str = ",") -> Iterator[str]:
    """The data set as CSV text, in pieces: a byte order mark (for Excel), a header line with
    the column keys, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    keys = [column.key for column in dataset.columns]

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(keys)
    yield BOM + flush()
    with translation.override("de"):
        for row in _rows(dataset):
            writer.writerow([spreadsheet_value(row[key]) for key in keys])
            yield flush()


def json_chunks(dataset: Dataset) -> Iterator[str]:
    """The data set as a JSON array of objects (keys as in the column list), in pieces."""
    yield "["
    separator = "\n"
    for row in _rows(dataset):
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def xlsx_bytes(dataset: Dataset) -> bytes:
    """The data set as an Excel workbook with one sheet: header row of keys, one row per row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.slug[:31])
    keys = [column.key for column in dataset.columns]
    sheet.append(keys)
    with translation.override("de"):
        for row in _rows(dataset):
            # An empty cell, not an empty text, where a value is missing.
            sheet.append(
                [None if row[key] is None else spreadsheet_value(row[key]) for key in keys]
            )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
