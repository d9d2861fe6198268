"""Stage 1: the map, municipalities, Landkreise, municipal companies, associations and
partners; then their contact persons and the people of member organizations.

Mostly municipalities, as in the directory; every Landkreis of the map; companies (Stadtwerke,
ÖPNV, …) belong to a town of some size; a few partners. Larger towns are more often members.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiativek.core.text import search_text
from initiativek.organizations.constants import (
    MUNICIPAL_KINDS,
    OrganizationKind,
    OrganizationSource,
)
from initiativek.organizations.models import Organization

from . import SLUG_PREFIX, geography, names, people, regions
from .world import BATCH_SIZE, GenerationError, OrgInfo, Progress, World

K = OrganizationKind
PARTNER_SHARE = 0.005
ASSOCIATION_SHARE = 0.02
COMPANY_SHARE = 0.035
COMPANY_MIN_POPULATION = 8_000
COMPANY_KINDS = (
    (K.STADTWERKE, "Stadtwerke {town}", 35),
    (K.OEPNV, "Verkehrsbetriebe {town}", 20),
    (K.VER_ENTSORGUNG, "Entsorgungsbetrieb {town}", 20),
    (K.KRANKENHAUS, "Klinikum {town}", 15),
    (K.FEUERWEHR, "Feuerwehr {town}", 10),
)
ASSOCIATION_NAMES = (
    "Gemeindeverwaltungsverband {town}",
    "Zweckverband Breitband {kreis}",
    "Zweckverband Wasserversorgung {town}",
    "Verwaltungsgemeinschaft {town}",
)
PARTNER_NAMES = (
    "{last} Digital GmbH",
    "{last} & {other} Verwaltungsberatung",
    "Kommunal-IT {last} AG",
    "{last} Software für Kommunen GmbH",
    "Netzwerk Digitale Kommune {town} e. V.",
)
PARTNER_ROLES = (
    "Beratung bei Digitalisierungsprojekten",
    "IT-Dienstleister für Kommunen",
    "Hersteller von Fachverfahren",
    "Verein, der den Austausch zwischen Kommunen fördert",
)
# Chance of membership by population (upper bound, probability); other kinds below.
MEMBER_BY_POPULATION = ((1_000, 0.15), (5_000, 0.25), (20_000, 0.45), (100_000, 0.7))
MEMBER_BIG = 0.9
MEMBER_OTHER = {K.LANDKREIS: 0.5, K.VERBAND: 0.3, K.PARTNER: 1.0}
MEMBER_COMPANY = 0.3


@dataclass(frozen=True)
class Composition:
    kreise: int
    kreisfrei: int
    municipalities: int
    companies: int
    associations: int
    partners: int


def composition(total: int) -> Composition:
    """How ``total`` organizations divide into kinds (the smallest sensible total is 10)."""
    partners = max(1, round(total * PARTNER_SHARE)) if total >= 20 else 0
    associations = round(total * ASSOCIATION_SHARE)
    companies = round(total * COMPANY_SHARE)
    kreise = geography.kreis_count(total, total)
    kreisfrei = 0 if kreise == 1 else round(kreise * geography.KREISFREI_SHARE)
    municipalities = total - partners - associations - companies - (kreise - kreisfrei)
    if municipalities < kreise:
        raise GenerationError(_("Zu wenige Organisationen für die Karte."))
    return Composition(kreise, kreisfrei, municipalities, companies, associations, partners)


def _member_chance(kind: str, population: int | None) -> float:
    if kind in MEMBER_OTHER:
        return MEMBER_OTHER[kind]
    if population is None:
        return MEMBER_COMPANY
    for bound, chance in MEMBER_BY_POPULATION:
        if population < bound:
            return chance
    return MEMBER_BIG


class _Builder:
    """Collects unsaved Organization rows with what later stages need to know of them."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.rows: list[Organization] = []
        self.towns: list[str] = []
        self.slugs = set(Organization.objects.values_list("slug", flat=True))

    def add(self, *, name: str, kind: str, town: str, ags: str = "", **fields) -> Organization:
        member = self.rng.random() < _member_chance(kind, fields.get("population"))
        row = Organization(
            name=name[:200],
            search_name=search_text(name[:200]),
            slug=names.unique_slug(name, self.slugs, prefix=SLUG_PREFIX, extra=ags),
            kind=kind,
            ags=ags,
            is_member=member,
            member_since=self.since() if member else None,
            website=_website(name) if member else "",
            **fields,
        )
        self.rows.append(row)
        self.towns.append(town)
        return row

    def since(self) -> datetime.date:
        return self.world.today - datetime.timedelta(days=self.rng.randint(30, 4 * 365))


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _website(name: str) -> str:
    return f"https://{slugify(name)[:50].strip('-') or 'kommune'}.example.org/"


def _description(kind_label: str, place: str, population: int | None) -> str:
    text = f"Synthetische Testdaten: {kind_label} in {place}"
    if population:
        text += f" mit rund {population:,} Einwohnerinnen und Einwohnern".replace(",", ".")
    return text + "."


def _municipalities(builder: _Builder, kreise: list[geography.Kreis], pks: dict) -> list:
    towns = []
    for kreis in kreise:
        for town in kreis.towns:
            kind = regions.town_kind(town)
            row = builder.add(
                name=town.name,
                kind=kind,
                town=town.name,
                ags=town.ags,
                region_id=pks[town.ags],
                population=town.population,
                latitude=_decimal(town.latitude),
                longitude=_decimal(town.longitude),
                source=OrganizationSource.DIRECTORY,
                description=_description(K(kind).label, kreis.display_name, town.population),
            )
            towns.append((town, row))
    for kreis in kreise:
        if kreis.kreisfrei:
            continue
        population = sum(town.population for town in kreis.towns)
        builder.add(
            name=kreis.display_name,
            kind=K.LANDKREIS,
            town=kreis.seat.name,
            ags=f"{kreis.key}000",
            region_id=pks[kreis.key],
            population=population,
            latitude=_decimal(kreis.latitude),
            longitude=_decimal(kreis.longitude),
            source=OrganizationSource.DIRECTORY,
            description=_description("Landkreis", kreis.bezirk.name, population),
        )
    return towns


def _companies(builder: _Builder, towns: list, count: int) -> None:
    """Municipal companies of towns of some size; the same company once per town."""
    candidates = [pair for pair in towns if pair[0].population >= COMPANY_MIN_POPULATION]
    candidates = candidates or towns
    weights = [math.sqrt(town.population) for town, _row in candidates]
    kinds = [kind for kind in COMPANY_KINDS for _share in range(kind[2])]
    seen: set[tuple[str, int]] = set()
    for _number in range(count):
        for _attempt in range(20):
            town, parent = builder.rng.choices(candidates, weights)[0]
            kind, pattern, _share = builder.rng.choice(kinds)
            if (kind, town.index) not in seen:
                break
        seen.add((kind, town.index))
        latitude, longitude = geography.clip(
            town.latitude + builder.rng.gauss(0, 0.01), town.longitude + builder.rng.gauss(0, 0.01)
        )
        builder.add(
            name=pattern.format(town=town.name),
            kind=kind,
            town=town.name,
            parent=parent,
            region_id=parent.region_id,
            latitude=_decimal(latitude),
            longitude=_decimal(longitude),
            description=_description(K(kind).label, town.name, None),
        )


def _associations(builder: _Builder, towns: list, count: int) -> None:
    for _number in range(count):
        town, row = builder.rng.choice(towns)
        assert town.kreis is not None
        pattern = builder.rng.choice(ASSOCIATION_NAMES)
        name = pattern.format(town=town.name, kreis=town.kreis.name)
        builder.add(
            name=name,
            kind=K.VERBAND,
            town=town.name,
            region_id=row.region_id,
            latitude=row.latitude,
            longitude=row.longitude,
            description=_description(K.VERBAND.label, town.kreis.display_name, None),
        )


def _partners(builder: _Builder, towns: list, count: int) -> None:
    for _number in range(count):
        town, _row = builder.rng.choice(towns)
        pattern = builder.rng.choice(PARTNER_NAMES)
        last, other = builder.rng.sample(names.LAST_NAMES, 2)
        builder.add(
            name=pattern.format(last=last, other=other, town=town.name),
            kind=K.PARTNER,
            town=town.name,
            partner_role=builder.rng.choice(PARTNER_ROLES),
            description="Synthetische Testdaten: Partner der Initiative.",
        )


def _promote(builder: _Builder, needed: int) -> int:
    """Make more organizations members until ``needed`` could answer a questionnaire
    (members that are no partners), largest towns first; returns how many were made."""
    audience = [row for row in builder.rows if row.is_member and row.kind != K.PARTNER]
    missing = needed - len(audience)
    if missing <= 0:
        return 0
    others = [row for row in builder.rows if not row.is_member and row.kind != K.PARTNER]
    others.sort(key=lambda row: (row.kind not in MUNICIPAL_KINDS, -(row.population or 0)))
    for row in others[:missing]:
        row.is_member = True
        row.member_since = builder.since()
    return min(missing, len(others))


def organizations_generate(
    world: World,
    progress: Progress,
    *,
    total: int,
    directory: Path | None,
    respondents: int | None,
) -> int:
    """Write the map and ``total`` organizations with their people; returns how many
    organizations were made members to reach ``respondents``."""
    rng = world.rng("organizations")
    parts = composition(total)
    progress.start(Organization._meta.verbose_name_plural, total)
    town_names = names.place_names(
        rng, parts.municipalities, names.directory_place_names(directory)
    )
    sizes = geography.populations(rng, parts.municipalities)
    towns = [geography.Town(i, town_names[i], sizes[i], 0.0, 0.0) for i in range(len(sizes))]
    kreise = geography.plan_kreise(rng, parts.kreise, regions.taken_kreis_keys())
    geography.place_towns(rng, towns, kreise, parts.kreisfrei)
    region_pks = regions.regions_write(world, rng, kreise)
    builder = _Builder(world, rng)
    placed = _municipalities(builder, kreise, region_pks)
    _companies(builder, placed, parts.companies)
    _associations(builder, placed, parts.associations)
    _partners(builder, placed, parts.partners)
    promoted = _promote(builder, respondents) if respondents else 0
    # Parents first: a company's row needs the primary key of its town.
    for group in (
        [row for row in builder.rows if row.parent is None],
        [row for row in builder.rows if row.parent is not None],
    ):
        for start in range(0, len(group), BATCH_SIZE):
            batch = group[start : start + BATCH_SIZE]
            Organization.objects.bulk_create(batch)
            progress.advance(len(batch))
    world.organizations = [
        OrgInfo(row.pk, row.name, row.slug, row.kind, row.is_member, row.population, town)
        for row, town in zip(builder.rows, builder.towns, strict=True)
    ]
    world.counts["organizations"] += len(builder.rows)
    progress.finish()
    people.people_generate(world, progress)
    return promoted
