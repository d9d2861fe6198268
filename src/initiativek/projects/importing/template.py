"""The template file to download: the header row and one example row, as CSV or XLSX."""

import csv
import io

from django.utils.translation import gettext as _

from .columns import COLUMNS


def _header_row() -> list[str]:
    return [f"{column.header}*" if column.required else column.header for column in COLUMNS]


def _example_row() -> list[str]:
    return [column.example for column in COLUMNS]


def template_csv() -> bytes:
    """UTF-8 with BOM and semicolons, so that Excel opens it with umlauts and columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header_row())
    writer.writerow(_example_row())
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """A workbook with the sheet „Projekte“ (what is imported) and „Hinweise“ (the columns)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Projekte"
    sheet.append(_header_row())
    sheet.append(_example_row())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 22
    notes = workbook.create_sheet("Hinweise")
    notes.append([_("Spalte"), _("Pflicht"), _("Inhalt")])
    for column in COLUMNS:
        notes.append([column.header, _("ja") if column.required else _("nein"), str(column.help)])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
