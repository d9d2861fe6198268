"""The synthetic map: Länder, 38 Regierungsbezirke, Kreise and municipalities with keys,
coordinates and populations. No database access.

The Länder and Regierungsbezirke are the real ones (keys and names as in the Destatis
directory; Länder without Regierungsbezirke get one with the digit 0, as the statistics do).
Kreise are spread over the Bezirke in proportion to the real number of Kreise; municipalities
cluster around their Kreis; populations are log-normal (median about 2,000) with a Zipf tail of
large cities.
"""

import math
import random
from dataclasses import dataclass, field

from .world import GenerationError

LAT_MIN, LAT_MAX = 47.3, 55.0
LON_MIN, LON_MAX = 5.9, 15.0
POPULATION_MEDIAN = 2_000
POPULATION_SIGMA = 1.25
POPULATION_MIN = 40
LARGEST_CITY = 3_700_000
ZIPF_EXPONENT = 0.8
BIG_CITIES_PER_10K = 80  # municipalities of the Zipf tail per 10,000 municipalities
KREISE_FULL = 400
ORGS_FULL = 11_000
KREISFREI_SHARE = 0.27  # share of Kreise that are kreisfreie Städte
MAX_PER_KREIS = 900  # municipality numbers have three digits
KREIS_SPREAD = 0.35  # degrees; Kreise around the centre of their Bezirk (scaled per Bezirk)
TOWN_SPREAD = (0.09, 0.13)  # degrees latitude, longitude; towns around their Kreis

LAENDER = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}


@dataclass(frozen=True)
class Bezirk:
    key: str
    name: str
    latitude: float
    longitude: float
    spread: float  # relative size of the area
    kreise: int  # real number of Kreise, the weight for spreading synthetic ones


BEZIRKE = (
    Bezirk("010", "Schleswig-Holstein", 54.2, 9.8, 1.0, 15),
    Bezirk("020", "Hamburg", 53.55, 10.0, 0.15, 1),
    Bezirk("031", "Statistische Region Braunschweig", 52.1, 10.5, 0.7, 11),
    Bezirk("032", "Statistische Region Hannover", 52.4, 9.4, 0.7, 8),
    Bezirk("033", "Statistische Region Lüneburg", 53.2, 9.8, 0.8, 11),
    Bezirk("034", "Statistische Region Weser-Ems", 52.8, 7.8, 0.8, 17),
    Bezirk("040", "Bremen", 53.1, 8.8, 0.15, 2),
    Bezirk("051", "Reg.-Bez. Düsseldorf", 51.35, 6.75, 0.4, 15),
    Bezirk("053", "Reg.-Bez. Köln", 50.8, 6.9, 0.5, 12),
    Bezirk("055", "Reg.-Bez. Münster", 51.95, 7.5, 0.5, 8),
    Bezirk("057", "Reg.-Bez. Detmold", 51.95, 8.8, 0.45, 7),
    Bezirk("059", "Reg.-Bez. Arnsberg", 51.35, 7.9, 0.5, 12),
    Bezirk("064", "Reg.-Bez. Darmstadt", 49.95, 8.75, 0.5, 14),
    Bezirk("065", "Reg.-Bez. Gießen", 50.6, 8.7, 0.4, 5),
    Bezirk("066", "Reg.-Bez. Kassel", 51.1, 9.5, 0.5, 7),
    Bezirk("071", "früher: Reg.-Bez. Koblenz", 50.4, 7.5, 0.5, 12),
    Bezirk("072", "früher: Reg.-Bez. Trier", 49.95, 6.8, 0.4, 6),
    Bezirk("073", "früher: Reg.-Bez. Rheinhessen-Pfalz", 49.5, 7.9, 0.5, 18),
    Bezirk("081", "Reg.-Bez. Stuttgart", 49.0, 9.5, 0.6, 13),
    Bezirk("082", "Reg.-Bez. Karlsruhe", 49.1, 8.6, 0.5, 12),
    Bezirk("083", "Reg.-Bez. Freiburg", 48.0, 8.1, 0.6, 10),
    Bezirk("084", "Reg.-Bez. Tübingen", 48.2, 9.5, 0.6, 9),
    Bezirk("091", "Oberbayern", 48.1, 11.8, 0.8, 23),
    Bezirk("092", "Niederbayern", 48.65, 12.7, 0.6, 12),
    Bezirk("093", "Oberpfalz", 49.35, 12.1, 0.6, 10),
    Bezirk("094", "Oberfranken", 50.05, 11.4, 0.5, 13),
    Bezirk("095", "Mittelfranken", 49.3, 10.8, 0.5, 12),
    Bezirk("096", "Unterfranken", 50.0, 9.9, 0.55, 12),
    Bezirk("097", "Schwaben", 48.2, 10.5, 0.6, 14),
    Bezirk("100", "Saarland", 49.4, 6.95, 0.25, 6),
    Bezirk("110", "Berlin", 52.52, 13.4, 0.15, 1),
    Bezirk("120", "Brandenburg", 52.4, 13.4, 1.1, 18),
    Bezirk("130", "Mecklenburg-Vorpommern", 53.75, 12.5, 1.1, 8),
    Bezirk("145", "früher: Direktionsbezirk Chemnitz", 50.7, 12.8, 0.5, 5),
    Bezirk("146", "früher: Direktionsbezirk Dresden", 51.1, 14.0, 0.5, 5),
    Bezirk("147", "früher: Direktionsbezirk Leipzig", 51.35, 12.5, 0.4, 3),
    Bezirk("150", "Sachsen-Anhalt", 51.95, 11.7, 1.0, 14),
    Bezirk("160", "Thüringen", 50.9, 11.0, 0.9, 23),
)


@dataclass
class Town:
    """A planned municipality; ``index`` is its position in the plan's list."""

    index: int
    name: str
    population: int
    latitude: float
    longitude: float
    kreis: "Kreis | None" = None
    number: str = "000"  # the Gemeinde part of the AGS

    @property
    def ags(self) -> str:
        assert self.kreis is not None
        return f"{self.kreis.key}{self.number}"


@dataclass
class Kreis:
    key: str
    bezirk: Bezirk
    latitude: float
    longitude: float
    kreisfrei: bool = False
    towns: list[Town] = field(default_factory=list)

    @property
    def seat(self) -> Town:
        return max(self.towns, key=lambda town: (town.population, -town.index))

    @property
    def name(self) -> str:
        return self.seat.name

    @property
    def display_name(self) -> str:
        return self.name if self.kreisfrei else f"Landkreis {self.name}"


def clip(latitude: float, longitude: float) -> tuple[float, float]:
    return (
        round(min(max(latitude, LAT_MIN), LAT_MAX), 6),
        round(min(max(longitude, LON_MIN), LON_MAX), 6),
    )


def populations(rng: random.Random, count: int) -> list[int]:
    """Log-normal around ``POPULATION_MEDIAN``; the largest follow Zipf's law from a city of
    ``LARGEST_CITY`` down, so there are a few big cities as in Germany."""
    values = [
        max(POPULATION_MIN, int(rng.lognormvariate(math.log(POPULATION_MEDIAN), POPULATION_SIGMA)))
        for _ in range(count)
    ]
    big = max(1, round(count * BIG_CITIES_PER_10K / 10_000)) if count else 0
    order = sorted(range(count), key=lambda i: values[i], reverse=True)
    for rank, index in enumerate(order[:big], start=1):
        values[index] = max(values[index], int(LARGEST_CITY * rank**-ZIPF_EXPONENT))
    return values


def kreis_count(organizations: int, municipalities: int) -> int:
    scaled = round(organizations * KREISE_FULL / ORGS_FULL)
    return max(1, scaled, math.ceil(municipalities / MAX_PER_KREIS))


def _kreise_per_bezirk(total: int) -> list[int]:
    """Largest-remainder split of ``total`` Kreise in proportion to the real numbers."""
    weight = sum(bezirk.kreise for bezirk in BEZIRKE)
    shares = [total * bezirk.kreise / weight for bezirk in BEZIRKE]
    counts = [int(share) for share in shares]
    order = sorted(range(len(BEZIRKE)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_kreise(rng: random.Random, total: int, taken: set[str]) -> list[Kreis]:
    """``total`` Kreise with keys that are not in ``taken`` (existing region keys and AGS
    prefixes), their centres scattered around their Bezirk."""
    kreise = []
    for bezirk, count in zip(BEZIRKE, _kreise_per_bezirk(total), strict=True):
        number = 0
        for _ in range(count):
            number += 1
            while f"{bezirk.key}{number:02d}" in taken and number < 99:
                number += 1
            if number > 99:
                raise GenerationError(
                    _("Im Bezirk %(key)s ist kein Kreisschlüssel mehr frei.") % {"key": bezirk.key}
                )
            spread = KREIS_SPREAD * bezirk.spread
            latitude, longitude = clip(
                rng.gauss(bezirk.latitude, spread), rng.gauss(bezirk.longitude, spread * 1.4)
            )
            kreise.append(Kreis(f"{bezirk.key}{number:02d}", bezirk, latitude, longitude))
    return kreise


def place_towns(
    rng: random.Random, towns: list[Town], kreise: list[Kreis], free_count: int
) -> None:
    """Put towns into Kreise: the ``free_count`` largest become kreisfreie Städte (a Kreis
    of their own), every other Kreis gets at least one town, the rest is spread with uneven
    weights. Precondition: at least as many towns as Kreise."""
    by_size = sorted(towns, key=lambda town: (-town.population, town.index))
    free_kreise = rng.sample(kreise, free_count)
    for kreis, town in zip(free_kreise, by_size[:free_count], strict=True):
        kreis.kreisfrei = True
        kreis.towns.append(town)
    landkreise = [kreis for kreis in kreise if not kreis.kreisfrei]
    rest = sorted(by_size[free_count:], key=lambda town: town.index)
    weights = [rng.gammavariate(2.0, 1.0) for _ in landkreise]
    for position, town in enumerate(rest):
        if position < len(landkreise):
            landkreise[position].towns.append(town)
        else:
            kreis = rng.choices(landkreise, weights)[0]
            while len(kreis.towns) >= MAX_PER_KREIS:
                kreis = rng.choice(landkreise)
            kreis.towns.append(town)
    for kreis in kreise:
        _number_and_locate(rng, kreis)


def _number_and_locate(rng: random.Random, kreis: Kreis) -> None:
    if kreis.kreisfrei:
        town = kreis.towns[0]
        town.kreis, town.number = kreis, "000"
        town.latitude, town.longitude = kreis.latitude, kreis.longitude
        return
    ordered = sorted(kreis.towns, key=lambda town: (town.name, town.index))
    for number, town in enumerate(ordered, start=1):
        town.kreis, town.number = kreis, f"{number:03d}"
        town.latitude, town.longitude = clip(
            rng.gauss(kreis.latitude, TOWN_SPREAD[0]), rng.gauss(kreis.longitude, TOWN_SPREAD[1])
        )
