"""The participant list as CSV (German Excel: UTF-8 with BOM, ``;``) and XLSX.

Cells that a spreadsheet would read as a formula are prefixed with an apostrophe (CSV/formula
injection: a guest could register as ``=HYPERLINK(…)``) by ``core.spreadsheets.safe_cell``.
"""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from initiativek.core.spreadsheets import safe_cell

from .filters import EVENT_TIME_ZONE
from .models import Registration


def _when(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, EVENT_TIME_ZONE).strftime("%d.%m.%Y %H:%M")


def participant_header() -> list[str]:
    return [
        _("Name"),
        _("Organisation"),
        _("E-Mail-Adresse"),
        _("Teilnahme"),
        _("Status"),
        _("angemeldet am"),
        _("anwesend"),
        _("in Teilnehmendenliste sichtbar"),
        _("Bedarf an Barrierefreiheit"),
    ]


def participant_rows(registrations: Iterable[Registration]) -> list[list[str]]:
    """One row of text cells per registration, already guarded against formula injection."""
    yes, no = _("ja"), _("nein")
    rows = []
    for registration in registrations:
        row = [
            registration.name,
            registration.organization_label,
            registration.email,
            registration.get_mode_display(),
            registration.get_status_display(),
            _when(registration.created_at),
            _when(registration.attended_at),
            yes if registration.listed else no,
            " ".join(registration.access_needs.split()),
        ]
        rows.append([safe_cell(str(cell)) for cell in row])
    return rows


def participants_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(participant_header())
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def participants_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Teilnehmende"
    header = participant_header()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # always text, never a formula
    for index, label in enumerate(header, start=1):
        longest = max([len(label), *(len(row[index - 1]) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
