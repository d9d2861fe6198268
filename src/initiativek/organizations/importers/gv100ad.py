"""Reader for the Destatis municipality directory in the GV100AD fixed-width format.

Also defines what every directory reader produces: one ``DirectoryRecord`` per good line and
one ``Rejection`` per bad one, in file order. The readers never touch the database;
``apply.directory_import`` writes the records.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

LAND, REGIERUNGSBEZIRK, REGION, KREIS, GEMEINDEVERBAND, GEMEINDE = 10, 20, 30, 40, 50, 60
RECORD_TYPES = (LAND, REGIERUNGSBEZIRK, REGION, KREIS, GEMEINDEVERBAND, GEMEINDE)
# Leading digits of the 8-digit regional key (positions 11–18) that a record type uses.
KEY_LENGTHS = {LAND: 2, REGIERUNGSBEZIRK: 3, REGION: 4, KREIS: 5, GEMEINDEVERBAND: 5, GEMEINDE: 8}
# Valid Textkennzeichen where the importer depends on them.
CODES = {KREIS: {"41", "42", "43", "44", "45"}, GEMEINDE: {f"{n}" for n in range(60, 68)}}
# Last position a record type needs: files may come with trailing spaces stripped.
MIN_LENGTHS = {
    LAND: 23,
    REGIERUNGSBEZIRK: 23,
    REGION: 23,
    KREIS: 124,
    GEMEINDEVERBAND: 124,
    GEMEINDE: 150,
}
LINE_LENGTH = 220
_DIGITS = re.compile(r"[0-9]+")


class DirectoryFormatError(ValueError):
    """The file as a whole cannot be read in the requested format (message in German)."""


class RecordError(ValueError):
    """One line or row cannot be read; the message is the German reason."""


@dataclass(frozen=True, slots=True)
class DirectoryRecord:
    """One unit of the directory. ``key`` has 2, 3, 4, 5, 9 or 8 digits for types 10 to 60.

    ``None`` in a data field (seat, figures, postcode, coordinates) means the source does not
    provide it: the importer then keeps what is stored.
    """

    line: int
    record_type: int
    key: str
    name: str
    seat: str | None = None
    code: str = ""
    valid_on: date | None = None
    association_key: str = ""
    ars: str = ""
    area_ha: int | None = None
    population: int | None = None
    population_male: int | None = None
    postcode: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("Zeile %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


def decode(data: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else ISO-8859-1 (the encoding Destatis publishes)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    return text.removeprefix("\ufeff")


def parse_gv100ad(data: bytes) -> Iterator[DirectoryRecord | Rejection]:
    """Records and rejections of a GV100AD file, with 1-based line numbers; blank lines skipped."""
    # split("\n"), not splitlines(): ISO-8859-1 text may hold characters splitlines() breaks on.
    for number, raw in enumerate(decode(data).split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        try:
            yield _parse_line(line, number)
        except RecordError as exc:
            yield Rejection(number, str(exc))


def _parse_line(line: str, number: int) -> DirectoryRecord:
    record_type = record_type_of(line[:2])
    minimum = MIN_LENGTHS[record_type]
    if len(line) < minimum:
        raise RecordError(
            _("Zeile zu kurz (%(length)s Zeichen, erwartet mindestens %(minimum)s)")
            % {"length": len(line), "minimum": minimum}
        )
    line = line.ljust(LINE_LENGTH)
    fields = {
        "line": number,
        "record_type": record_type,
        "name": required_name(line[22:72]),
        "seat": line[72:122].strip(),
        "code": checked_code(record_type, line[122:124].strip()),
        "valid_on": parse_date(line[2:10]),
        **key_fields(record_type, line[10:18], line[18:22]),
    }
    if record_type == GEMEINDE:
        fields |= {
            "area_ha": parse_count(line[128:139], _("Fläche")),
            "population": parse_count(line[139:150], _("Einwohnerzahl")),
            "population_male": parse_count(line[150:161], _("Einwohnerzahl männlich")),
            "postcode": parse_postcode(line[165:170]),
        }
    return DirectoryRecord(**fields)


def record_type_of(value: str) -> int:
    value = value.strip()
    if not _DIGITS.fullmatch(value) or int(value) not in RECORD_TYPES:
        raise RecordError(_("unbekannte Satzart %(type)s") % {"type": value or "–"})
    return int(value)


def key_fields(record_type: int, regional_key: str, association: str) -> dict[str, str]:
    """``key`` (and for types 50/60 ``association_key``, for 60 ``ars``) of a record.

    ``regional_key`` is the 8-character key as in positions 11–18 (types 10 to 50 use its
    leading part), ``association`` the 4-digit Gemeindeverband number of positions 19–22.
    """
    regional = numeric_key(regional_key[: KEY_LENGTHS[record_type]])
    if record_type < GEMEINDEVERBAND:
        return {"key": regional}
    association_key = regional[:5] + numeric_key(association)
    if record_type == GEMEINDEVERBAND:
        return {"key": association_key}
    return {
        "key": regional,
        "association_key": association_key,
        "ars": association_key + regional[5:],
    }


def numeric_key(value: str) -> str:
    if not _DIGITS.fullmatch(value):
        raise RecordError(_("Schlüssel „%(key)s“ ist nicht numerisch") % {"key": value.strip()})
    return value


def required_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise RecordError(_("Name fehlt"))
    if len(name) > 100:
        raise RecordError(_("Name länger als 100 Zeichen"))
    return name


def checked_code(record_type: int, code: str) -> str:
    if record_type in CODES and code not in CODES[record_type]:
        raise RecordError(
            _("unbekanntes Textkennzeichen %(code)s für Satzart %(type)s")
            % {"code": code or "–", "type": record_type}
        )
    return code


def parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise RecordError(
            _("ungültiger Gebietsstand „%(value)s“ (erwartet JJJJMMTT)") % {"value": value.strip()}
        ) from None


def parse_count(value: str, label: str) -> int | None:
    """A non-negative whole number; blank means unknown."""
    value = value.strip()
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        raise RecordError(
            _("%(field)s „%(value)s“ ist keine Zahl") % {"field": label, "value": value}
        )
    return int(value)


def parse_postcode(value: str) -> str:
    value = value.strip()
    return value if len(value) == 5 and _DIGITS.fullmatch(value) else ""
