"""The columns of the import file and how a cell becomes a value of the project form.

Headers are part of the file format and therefore fixed German words, not translated. A cell
is converted into what the web form (``ProjectForm``) receives from the browser, so the form
validates imported rows exactly as it validates typed-in ones. Converters raise
:class:`CellProblem` for values the form could not even be given (an unknown topic, „fertig“
as status).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiativek.core.constants import Goal
from initiativek.core.models import Topic
from initiativek.organizations.constants import Visibility

from ..constants import ProjectStatus

LIST_SEPARATOR = ";"
KEY_COLUMN = "Kennung"


class CellProblem(Exception):
    """A cell's value cannot be used; the message says why, in German."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the ProjectForm field; "" for the key column
    required: bool
    help: str
    example: str


COLUMNS = [
    Column("Titel", "title", True, gettext_lazy("höchstens 200 Zeichen"), "Digitale Bauakte"),
    Column(
        "Kurzbeschreibung",
        "summary",
        True,
        gettext_lazy("zwei, drei Sätze, höchstens 600 Zeichen"),
        "Bauanträge werden vollständig digital bearbeitet.",
    ),
    Column("Beschreibung", "description", False, gettext_lazy("Markdown ist erlaubt"), ""),
    Column(
        "Stand",
        "status",
        True,
        gettext_lazy("idee, geplant, in Umsetzung, umgesetzt oder eingestellt"),
        "in Umsetzung",
    ),
    Column(
        "Themen",
        "topics",
        False,
        gettext_lazy("Namen oder Kurznamen der Themen, durch „;“ getrennt"),
        "",
    ),
    Column(
        "Ziele",
        "goals",
        False,
        gettext_lazy("Nummern der Ziele der Initiative (1 bis 5), durch „;“ getrennt"),
        "2;3",
    ),
    Column("Technologien", "technologies", False, gettext_lazy("durch „;“ getrennt"), "DMS"),
    Column("Anbieter", "vendors", False, gettext_lazy("durch „;“ getrennt"), ""),
    Column(
        "Beginn", "start_month", False, gettext_lazy("Monat als MM.JJJJ oder JJJJ-MM"), "03.2023"
    ),
    Column("Ende", "end_month", False, gettext_lazy("Monat als MM.JJJJ oder JJJJ-MM"), ""),
    Column("Nachnutzung möglich", "reuse_offered", False, gettext_lazy("ja oder nein"), "ja"),
    Column(
        "Sichtbarkeit",
        "visibility",
        False,
        gettext_lazy("öffentlich oder nur Mitglieder; leer: bleibt bzw. öffentlich"),
        "öffentlich",
    ),
    Column(
        KEY_COLUMN,
        "",
        False,
        gettext_lazy(
            "Kurzname eines vorhandenen Projekts Ihrer Organisation (aus seiner Adresse): "
            "die Zeile ändert dieses Projekt, statt ein neues anzulegen"
        ),
        "",
    ),
]
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS if column.field}


def _normalize(text: str) -> str:
    return " ".join(text.strip().rstrip("*").split()).casefold()


_COLUMN_BY_KEY = {_normalize(column.header): column for column in COLUMNS}


def _quoted(names) -> str:
    return ", ".join(f"‚{name}‘" for name in names)


def headers_map(headers: list[str], *, has_data: list[bool]) -> tuple[dict[int, Column], list]:
    """(position → column, problems) for a header row. ``has_data`` tells for each position
    whether any row has a value there: a column without header is only a problem then."""
    positions: dict[int, Column] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for position, header in enumerate(headers):
        if not header.strip():
            if has_data[position]:
                problems.append(
                    _("Die %(number)s. Spalte hat keine Überschrift.") % {"number": position + 1}
                )
            continue
        column = _COLUMN_BY_KEY.get(_normalize(header))
        if column is None:
            problems.append(
                _("Unbekannte Spalte ‚%(header)s‘ – möglich sind: %(allowed)s.")
                % {"header": header.strip(), "allowed": ", ".join(c.header for c in COLUMNS)}
            )
        elif column.header in seen:
            problems.append(_("Die Spalte ‚%(header)s‘ kommt mehrfach vor.") % {"header": header})
        else:
            seen.add(column.header)
            positions[position] = column
    missing = [column.header for column in COLUMNS if column.required and column.header not in seen]
    if missing:
        problems.append(_("Es fehlen die Pflichtspalten %(names)s.") % {"names": _quoted(missing)})
    return positions, problems


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _status(value: str, context: dict) -> list[str]:
    if not value:
        return [""]  # the form reports the missing value
    allowed = {}
    for choice in ProjectStatus:
        allowed[choice.value.casefold()] = choice.value
        allowed[str(choice.label).casefold()] = choice.value
    key = " ".join(value.split()).casefold()
    if key not in allowed:
        raise CellProblem(
            _("‚%(value)s‘ ist kein gültiger Stand – erlaubt: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(str(c.label) for c in ProjectStatus)}
        )
    return [allowed[key]]


def _topics(value: str, context: dict) -> list[str]:
    if "topics" not in context:
        context["topics"] = {}
        for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
            context["topics"][name.casefold()] = str(pk)
            context["topics"][slug.casefold()] = str(pk)
    result = []
    for name in _split(value):
        pk = context["topics"].get(name.casefold())
        if pk is None:
            raise CellProblem(
                _("‚%(value)s‘ ist kein bekanntes Thema (die Themen stehen auf der Importseite).")
                % {"value": name}
            )
        result.append(pk)
    return result


def _goals(value: str, context: dict) -> list[str]:
    result = []
    for number in _split(value):
        if number not in {str(goal.value) for goal in Goal}:
            raise CellProblem(
                _("‚%(value)s‘ ist kein Ziel der Initiative – erlaubt: 1 bis 5.")
                % {"value": number}
            )
        result.append(number)
    return result


def _tags(value: str, context: dict) -> list[str]:
    # The form field takes comma-separated names.
    return [", ".join(_split(value))]


_GERMAN_MONTH = re.compile(r"(\d{1,2})\.(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def _month(value: str, context: dict) -> list[str]:
    if not value:
        return [""]
    if match := _GERMAN_MONTH.fullmatch(value):
        month, year = match.groups()
    elif match := _ISO_MONTH.fullmatch(value):
        year, month = match.groups()
    else:
        month = "0"
    if not 1 <= int(month) <= 12:
        raise CellProblem(
            _("‚%(value)s‘ ist kein Monat – bitte als MM.JJJJ oder JJJJ-MM angeben.")
            % {"value": value}
        )
    return [f"{year}-{int(month):02d}"]


def _yes_no(value: str, context: dict) -> list[str]:
    key = value.strip().casefold()
    if key in {"", "nein", "n"}:
        return []  # an unchecked checkbox sends nothing
    if key in {"ja", "j"}:
        return ["on"]
    raise CellProblem(_("‚%(value)s‘ – bitte „ja“ oder „nein“ angeben.") % {"value": value})


def _visibility(value: str, context: dict) -> list[str] | None:
    key = " ".join(value.split()).casefold()
    if not key:
        return None  # keep the current value (or the default)
    allowed = {"öffentlich": Visibility.PUBLIC, "nur mitglieder": Visibility.MEMBERS}
    allowed |= {choice.value: choice.value for choice in Visibility}
    allowed |= {str(choice.label).casefold(): choice.value for choice in Visibility}
    if key not in allowed:
        raise CellProblem(
            _("‚%(value)s‘ ist keine gültige Sichtbarkeit – erlaubt: öffentlich, nur Mitglieder.")
            % {"value": value}
        )
    return [str(allowed[key])]


def _text(value: str, context: dict) -> list[str]:
    return [value]


CONVERTERS: dict[str, Callable[[str, dict], list[str] | None]] = {
    "title": _text,
    "summary": _text,
    "description": _text,
    "status": _status,
    "topics": _topics,
    "goals": _goals,
    "technologies": _tags,
    "vendors": _tags,
    "start_month": _month,
    "end_month": _month,
    "reuse_offered": _yes_no,
    "visibility": _visibility,
}
