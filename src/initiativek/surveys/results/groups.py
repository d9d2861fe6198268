"""Comparison groups of the results: all responses, population classes, Regierungsbezirke.

An organization's size class comes from its population – or, for municipal companies without
one (Stadtwerke), from the organization it belongs to. Its Regierungsbezirk is the first three
digits of its AGS, else of its parent's AGS, else of its or its parent's region key – the rule
of ``organizations.selectors.organization_region_keys``. Both rules exist twice: as SQL
expressions (to group answers in the database) and in Python (for the viewer's own
organization); ``tests/surveys/test_results_groups.py`` keeps them in step.
"""

from dataclasses import dataclass

from django.db.models import Case, F, Value, When
from django.db.models.fields import IntegerField
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from initiativek.organizations.selectors import (
    organization_region_keys,
    region_key_part,
    region_key_sql,
)

from ..constants import POPULATION_CLASSES

ALL = "alle"
SIZE_PREFIX = "groesse-"
BEZIRK_PREFIX = "bezirk-"

KIND_ALL = "all"
KIND_SIZE = "size"
KIND_BEZIRK = "bezirk"


@dataclass(frozen=True)
class Group:
    """A comparison group as offered in the group selector (``key`` is the URL value)."""

    key: str
    kind: str
    label: str
    responses: int


def size_key(lower_bound: int) -> str:
    return f"{SIZE_PREFIX}{lower_bound}"


def bezirk_key(region_key: str) -> str:
    return f"{BEZIRK_PREFIX}{region_key}"


def size_class(population: int | None) -> int | None:
    """The lower bound of the population class, None without a population."""
    if population is None:
        return None
    bound = None
    for lower, _label in POPULATION_CLASSES:
        if population >= lower:
            bound = lower
    return bound


def bezirk_of_key(key: str | None) -> str | None:
    """The Regierungsbezirk part ("084") of an AGS or region key, None if there is none."""
    if not key or len(key) < 3 or not key[:3].isdigit():
        return None
    return key[:3]


def organization_size_class(organization) -> int | None:
    """Python twin of ``cell_annotations``' size class (may load the parent)."""
    population = organization.population
    if population is None and organization.parent_id:
        population = organization.parent.population
    return size_class(population)


def organization_bezirk(organization) -> str | None:
    """Python twin of ``cell_annotations``' Regierungsbezirk (may load parent and region)."""
    return region_key_part(organization_region_keys(organization), 3)


def cell_annotations(prefix: str) -> dict:
    """``bezirk`` and ``size`` annotations for a queryset reaching the response by ``prefix``
    (``""`` on Response, ``"response__"`` on Answer). ``bezirk`` may come back shorter than
    three digits or as NULL; ``bezirk_of_key`` cleans it."""
    org = f"{prefix}organization__"
    population = Coalesce(F(f"{org}population"), F(f"{org}parent__population"))
    whens = [
        When(GreaterThanOrEqual(population, lower), then=Value(lower))
        for lower, _label in sorted(POPULATION_CLASSES, reverse=True)
    ]
    return {
        "bezirk": region_key_sql(org, 3),
        "size": Case(*whens, default=None, output_field=IntegerField()),
    }


def size_label(lower_bound: int) -> str:
    return str(dict(POPULATION_CLASSES)[lower_bound])


def bezirk_label(key: str, names: dict[str, str]) -> str:
    name = names.get(key)
    if name:
        # The official directory names them "Reg.-Bez. Tübingen"; say it once, in full.
        name = name.removeprefix("Reg.-Bez.").strip()
        return _("Regierungsbezirk %(name)s") % {"name": name}
    return _("Regierungsbezirk %(key)s") % {"key": key}


def groups_for_cells(
    cells: dict[tuple[str | None, int | None], int], bezirk_names: dict[str, str]
) -> list[Group]:
    """All groups – every size class and every known or answering Regierungsbezirk – with
    their number of submitted responses (``cells``: (bezirk, size) → responses)."""
    total = sum(cells.values())
    groups = [Group(ALL, KIND_ALL, _("alle Organisationen"), total)]
    for lower, _label in POPULATION_CLASSES:
        count = sum(n for (_bezirk, size), n in cells.items() if size == lower)
        groups.append(Group(size_key(lower), KIND_SIZE, size_label(lower), count))
    keys = set(bezirk_names) | {bezirk for bezirk, _size in cells if bezirk}
    for key in sorted(keys):
        count = sum(n for (bezirk, _size), n in cells.items() if bezirk == key)
        groups.append(Group(bezirk_key(key), KIND_BEZIRK, bezirk_label(key, bezirk_names), count))
    return groups


def cell_groups(bezirk: str | None, size: int | None) -> list[str]:
    """The keys of the groups a cell belongs to: all, its size class, its Regierungsbezirk."""
    keys = [ALL]
    if size is not None:
        keys.append(size_key(size))
    if bezirk is not None:
        keys.append(bezirk_key(bezirk))
    return keys
