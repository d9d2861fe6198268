"""Writes the synthetic map as Region rows: Land → Regierungsbezirk → Kreis → Gemeinde.

Länder and Bezirke that already exist (say, from an imported directory) are used as they are
and never deleted; Kreise get keys no existing region or organization uses, so everything
below them is new. New rows carry ``REGION_MARK`` in their official name.
"""

import random
from decimal import Decimal

from initiativek.organizations.constants import RegionLevel
from initiativek.organizations.models import Organization, Region

from . import REGION_MARK
from .geography import LAENDER, Kreis, Town
from .world import BATCH_SIZE, World

# Textkennzeichen of the directory.
KREIS_CODE = {True: "41", False: "44"}  # kreisfreie Stadt, Landkreis
HECTARES_PER_PERSON = (0.6, 4.0)  # a town's area grows more slowly than its population


def taken_kreis_keys() -> set[str]:
    """Five-digit keys that existing regions or organizations use already."""
    keys = {
        key[:5] for key in Region.objects.filter(key__regex=r"^\d{5}").values_list("key", flat=True)
    }
    keys |= {ags[:5] for ags in Organization.objects.exclude(ags="").values_list("ags", flat=True)}
    return keys


def _marked(name: str) -> str:
    return f"{name} {REGION_MARK}"[:100]


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _ensure(level: str, items: dict[str, str], parents: dict[str, int]) -> tuple[dict, int]:
    """Existing regions by key, the missing ones created; (key → pk, number created)."""
    existing = dict(Region.objects.filter(key__in=items).values_list("key", "pk"))
    new = [
        Region(
            key=key,
            level=level,
            name=name,
            official_name=_marked(name),
            parent_id=parents.get(key[:2]) if level == RegionLevel.REGIERUNGSBEZIRK else None,
        )
        for key, name in sorted(items.items())
        if key not in existing
    ]
    Region.objects.bulk_create(new, batch_size=BATCH_SIZE)
    existing.update({region.key: region.pk for region in new})
    return existing, len(new)


def regions_write(world: World, rng: random.Random, kreise: list[Kreis]) -> dict[str, int]:
    """Create the regions of ``kreise`` and their towns; region pk by key."""
    bezirke = {kreis.bezirk.key: kreis.bezirk.name for kreis in kreise}
    laender, created_laender = _ensure(
        RegionLevel.LAND, {key[:2]: LAENDER[key[:2]] for key in bezirke}, {}
    )
    keys, created_bezirke = _ensure(RegionLevel.REGIERUNGSBEZIRK, bezirke, laender)
    kreis_rows = [
        Region(
            key=kreis.key,
            level=RegionLevel.KREIS,
            name=kreis.name,
            official_name=_marked(kreis.display_name if not kreis.kreisfrei else kreis.name),
            seat=kreis.seat.name,
            code=KREIS_CODE[kreis.kreisfrei],
            parent_id=keys[kreis.bezirk.key],
            population=sum(town.population for town in kreis.towns),
            latitude=_decimal(kreis.latitude),
            longitude=_decimal(kreis.longitude),
        )
        for kreis in kreise
    ]
    Region.objects.bulk_create(kreis_rows, batch_size=BATCH_SIZE)
    kreis_pks = {region.key: region.pk for region in kreis_rows}
    towns = [town for kreis in kreise for town in kreis.towns]
    town_rows = [_town_region(rng, town, kreis_pks) for town in towns]
    Region.objects.bulk_create(town_rows, batch_size=BATCH_SIZE)
    world.counts["regions"] += created_laender + created_bezirke + len(kreis_rows) + len(town_rows)
    return {
        **laender,
        **keys,
        **kreis_pks,
        **{region.key: region.pk for region in town_rows},
    }


def town_code(town: Town, kind: str) -> str:
    """The directory's Textkennzeichen of a municipality of ``kind``."""
    return {"stadtkreis": "61", "stadt": "63", "grosse_kreisstadt": "67"}.get(kind, "64")


def _town_region(rng: random.Random, town: Town, kreis_pks: dict[str, int]) -> Region:
    assert town.kreis is not None
    hectares = town.population * rng.uniform(*HECTARES_PER_PERSON)
    return Region(
        key=town.ags,
        level=RegionLevel.GEMEINDE,
        name=town.name,
        official_name=_marked(town.name),
        code=town_code(town, town_kind(town)),
        parent_id=kreis_pks[town.kreis.key],
        ars=f"{town.kreis.key}0000{town.number}",
        population=town.population,
        population_male=round(town.population * rng.uniform(0.48, 0.51)),
        area_ha=max(50, round(hectares)),
        latitude=_decimal(town.latitude),
        longitude=_decimal(town.longitude),
    )


def town_kind(town: Town) -> str:
    """Kind of organization of a town, from its size (as the Länder grant town rights)."""
    assert town.kreis is not None
    if town.kreis.kreisfrei:
        return "stadtkreis"
    if town.population >= 20_000:
        return "grosse_kreisstadt"
    if town.population >= 5_000 or town.index % 10 == 0:
        return "stadt"
    return "gemeinde"
