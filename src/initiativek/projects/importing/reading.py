"""Reading an uploaded import file into a table of text cells.

The format is recognised by content, never by name: a zip with a spreadsheet part is XLSX,
text that decodes as UTF-8 (with or without BOM) is CSV; everything else is refused. Cells are
only ever text: formulas are not computed but read as the text of the formula, XLSX dates become
``JJJJ-MM`` and whole numbers lose their ``.0``.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 500
MAX_COLUMNS = 50
# A 2 MB XLSX unpacking to more than this is a zip bomb, not a project list.
XLSX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Table:
    """The header row and the data rows as (row number in the file, cells)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]

    def has_data(self) -> list[bool]:
        return [
            any(position < len(cells) and cells[position] for _number, cells in self.rows)
            for position in range(len(self.headers))
        ]


def _wrong_type() -> ValidationError:
    return ValidationError(
        _(
            "Die Datei ist weder eine CSV-Datei in UTF-8 noch eine Excel-Arbeitsmappe (XLSX). "
            "In Excel: „Speichern unter“ → „CSV UTF-8 (durch Trennzeichen getrennt)“ oder "
            "„Excel-Arbeitsmappe“."
        ),
        code="type_not_allowed",
    )


def table_read(content: bytes) -> Table:
    """The table in ``content``. Raises ``ValidationError`` (German message; codes ``empty``,
    ``too_large``, ``type_not_allowed``, ``unreadable``, ``too_many_rows``)."""
    if not content.strip():
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if len(content) > IMPORT_MAX_BYTES:
        raise ValidationError(
            _("Die Datei ist zu groß; erlaubt sind höchstens 2 MB."), code="too_large"
        )
    rows = _xlsx_rows(content) if content.startswith(_ZIP_MAGIC) else _csv_rows(content)
    rows = [(number, _trimmed(cells)) for number, cells in rows if any(cells)]
    if not rows:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    (_header_number, headers), data = rows[0], rows[1:]
    if len(data) > IMPORT_MAX_ROWS:
        raise ValidationError(
            _("Die Datei hat mehr als %(limit)s Zeilen; so viele gehen nicht auf einmal.")
            % {"limit": IMPORT_MAX_ROWS},
            code="too_many_rows",
        )
    return Table(headers=headers, rows=data)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _wrong_type() from exc
    if _CONTROL_CHARACTERS.search(text):
        raise _wrong_type()
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows, filled = [], 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            cells = [cell.strip() for cell in values[:MAX_COLUMNS]]
            rows.append((number, cells))
            filled += any(cells)
            if filled > IMPORT_MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise ValidationError(
            _("Die CSV-Datei ist fehlerhaft: %(error)s") % {"error": exc}, code="unreadable"
        ) from exc
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    _xlsx_check(content)
    import openpyxl

    unreadable = ValidationError(
        _("Die Excel-Arbeitsmappe konnte nicht gelesen werden."), code="unreadable"
    )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = (
            workbook["Projekte"] if "Projekte" in workbook.sheetnames else workbook.worksheets[0]
        )
        rows, filled = [], 0
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            cells = [_cell_text(value) for value in values]
            rows.append((number, cells))
            filled += any(cells)
            if filled > IMPORT_MAX_ROWS + 1:
                break
        workbook.close()
    # openpyxl raises many kinds of errors on broken or crafted files; all mean "unreadable".
    except Exception as exc:
        raise unreadable from exc
    return rows


def _xlsx_check(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _wrong_type() from exc
    names = [entry.filename for entry in entries]
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _wrong_type()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("Arbeitsmappen mit Makros werden nicht angenommen."), code="type_not_allowed"
        )
    if sum(entry.file_size for entry in entries) > XLSX_MAX_UNPACKED_BYTES:
        raise ValidationError(_("Die Arbeitsmappe ist zu groß."), code="too_large")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
