"""Reader for the GV-ISys extract "AuszugGV" (.xlsx) of the municipality directory.

The data sheet ("Onlineprodukt_Gemeinden…", usually the second one) has a few header rows, then
one row per unit with the columns A Satzart, B Textkennzeichen, C Land, D RB, E Kreis, F VB,
G Gem, H name, I area in km², J population, K male, L female, M per km², N postcode,
O longitude, P latitude. Rows whose column A is not a record type (headers, footnotes) are
skipped. Produces the same records as the GV100AD reader.
"""

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from itertools import chain
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from .gv100ad import (
    GEMEINDE,
    RECORD_TYPES,
    REGION,
    DirectoryFormatError,
    DirectoryRecord,
    RecordError,
    Rejection,
    checked_code,
    key_fields,
    parse_postcode,
    required_name,
)

Row = tuple[Any, ...]
COLUMNS = 16
# A sheet without a record row among its first rows is a description, not the data.
MAX_HEADER_ROWS = 100
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_COORDINATE = Decimal("0.000001")
_READ_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, ParseError, OSError, ValueError)


def parse_auszuggv(data: bytes) -> Iterator[DirectoryRecord | Rejection]:
    """Records and rejections of an AuszugGV workbook; row numbers are the sheet's.

    Raises ``DirectoryFormatError`` at once when ``data`` is no readable workbook or has no
    sheet with directory records.
    """
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except _READ_ERRORS as exc:
        raise DirectoryFormatError(
            _("Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): %(error)s") % {"error": exc}
        ) from exc
    try:
        valid_on, rows = _data_rows(workbook)
    except DirectoryFormatError:
        workbook.close()
        raise
    except _READ_ERRORS as exc:
        workbook.close()
        raise _damaged(exc) from exc
    return _records(workbook, valid_on, rows)


def _damaged(exc: Exception) -> DirectoryFormatError:
    return DirectoryFormatError(
        _("Die Excel-Arbeitsmappe ist beschädigt: %(error)s") % {"error": exc}
    )


def _records(
    workbook: Workbook, valid_on: date | None, rows: Iterable[tuple[int, Row]]
) -> Iterator[DirectoryRecord | Rejection]:
    try:
        for number, row in rows:
            if _record_type(row) is None:
                continue
            try:
                yield _record(number, _padded(row), valid_on)
            except RecordError as exc:
                yield Rejection(number, str(exc))
    except _READ_ERRORS as exc:
        raise _damaged(exc) from exc
    finally:
        workbook.close()


def _data_rows(workbook: Workbook) -> tuple[date | None, Iterator[tuple[int, Row]]]:
    """The Gebietsstand and the rows of the first sheet whose rows start with a record type."""
    sheets = sorted(workbook.worksheets, key=lambda s: not s.title.startswith("Onlineprodukt"))
    seen: list[Row] = []
    for sheet in sheets:
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        header: list[Row] = []
        for number, row in rows:
            if _record_type(row) is not None and len(row) > 7 and row[7] is not None:
                valid_on = _gebietsstand(header, seen)
                return valid_on, chain([(number, row)], rows)
            header.append(row)
            if len(header) >= MAX_HEADER_ROWS:
                break
        seen += header
    raise DirectoryFormatError(
        _("Die Arbeitsmappe enthält kein Tabellenblatt mit Sätzen des Gemeindeverzeichnisses.")
    )


def _gebietsstand(header: list[Row], other_rows: list[Row]) -> date | None:
    """A date labelled "Gebietsstand" anywhere, else the first date in the data sheet's header."""
    labelled = [
        cell for row in header + other_rows for cell in row if "Gebietsstand" in str(cell or "")
    ]
    for cell in chain(labelled, (cell for row in header for cell in row)):
        if isinstance(cell, datetime):
            return cell.date()
        match = _DATE.search(cell) if isinstance(cell, str) else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _record_type(row: Row) -> int | None:
    value = _text(row[0]) if row else ""
    return int(value) if value.isdigit() and int(value) in RECORD_TYPES else None


def _padded(row: Row) -> Row:
    return tuple(row[:COLUMNS]) + (None,) * (COLUMNS - len(row))


def _record(number: int, row: Row, valid_on: date | None) -> DirectoryRecord:
    record_type = int(_text(row[0]))
    fields: dict[str, Any] = {
        "line": number,
        "record_type": record_type,
        "name": required_name(_text(row[7])),
        "seat": None,
        "code": checked_code(record_type, _text(row[1])),
        "valid_on": valid_on,
        **key_fields(record_type, *_regional_key(record_type, row)),
    }
    if record_type == GEMEINDE:
        area = _decimal(row[8], _("Fläche"))
        fields |= {
            "area_ha": None if area is None else int((area * 100).to_integral_value()),
            "population": _count(row[9], _("Einwohnerzahl")),
            "population_male": _count(row[10], _("Einwohnerzahl männlich")),
            "postcode": parse_postcode(_part(row[13], 5)),
            "longitude": _coordinate(row[14], _("Längengrad"), 180),
            "latitude": _coordinate(row[15], _("Breitengrad"), 90),
        }
    return DirectoryRecord(**fields)


def _regional_key(record_type: int, row: Row) -> tuple[str, str]:
    """The key as in GV100AD positions 11–18 (Land, RB, Kreis, Gem) and the VB number."""
    land_rb = _part(row[2], 2) + _part(row[3], 1)
    if record_type == REGION:
        # A region's number sits in the Kreis column: Land + RB + region digit.
        return land_rb + (_text(row[4])[:1] or " "), ""
    return land_rb + _part(row[4], 2) + _part(row[6], 3), _part(row[5], 4)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _part(value: Any, width: int) -> str:
    """One part of the regional key, zero-padded (Excel drops leading zeros of numbers)."""
    text = _text(value)
    if not text:
        return " " * width
    if len(text) > width:
        raise RecordError(_("Schlüssel „%(key)s“ ist zu lang") % {"key": text})
    return text.zfill(width) if text.isdigit() else text.rjust(width)


def _decimal(value: Any, label: str) -> Decimal | None:
    if isinstance(value, int | float):
        value = repr(value)
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise RecordError(
            _("%(field)s „%(value)s“ ist keine Zahl") % {"field": label, "value": text}
        )
    return number


def _count(value: Any, label: str) -> int | None:
    number = _decimal(value, label)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        raise RecordError(
            _("%(field)s „%(value)s“ ist keine Zahl") % {"field": label, "value": value}
        )
    return int(number)


def _coordinate(value: Any, label: str, limit: int) -> Decimal | None:
    number = _decimal(value, label)
    if number is None:
        return None
    if abs(number) > limit:
        raise RecordError(
            _("%(field)s „%(value)s“ liegt außerhalb des gültigen Bereichs")
            % {"field": label, "value": value}
        )
    return number.quantize(_COORDINATE)
