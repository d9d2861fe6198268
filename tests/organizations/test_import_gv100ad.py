"""The GV100AD reader, the directory import and the ``import_municipalities`` command."""

import io
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import QuerySet

from initiativek.organizations.constants import (
    MUNICIPAL_KINDS,
    OrganizationKind,
    OrganizationSource,
    RegionLevel,
)
from initiativek.organizations.importers.apply import directory_import
from initiativek.organizations.importers.gv100ad import DirectoryRecord, Rejection, parse_gv100ad
from initiativek.organizations.models import Organization, Region
from tests.organizations.factories import OrganizationFactory

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "src/initiativek/organizations/fixtures/gv100ad_sample.txt"
)
OFFICIAL = Path(__file__).resolve().parents[2].parent / "shared/data/GV100AD_301123.txt"
DEMO_TOWNS = {
    "08436064": ("Ravensburg", OrganizationKind.GROSSE_KREISSTADT),
    "08326074": ("Villingen-Schwenningen", OrganizationKind.GROSSE_KREISSTADT),
    "08115021": ("Herrenberg", OrganizationKind.GROSSE_KREISSTADT),
    "08136065": ("Schwäbisch Gmünd", OrganizationKind.GROSSE_KREISSTADT),
    "08211000": ("Baden-Baden", OrganizationKind.STADTKREIS),
    "08335043": ("Konstanz", OrganizationKind.GROSSE_KREISSTADT),
    "08135019": ("Heidenheim an der Brenz", OrganizationKind.GROSSE_KREISSTADT),
    "08119079": ("Waiblingen", OrganizationKind.GROSSE_KREISSTADT),
    "08111000": ("Stuttgart", OrganizationKind.STADTKREIS),
    "08212000": ("Karlsruhe", OrganizationKind.STADTKREIS),
    "08311000": ("Freiburg im Breisgau", OrganizationKind.STADTKREIS),
    "08416041": ("Tübingen", OrganizationKind.GROSSE_KREISSTADT),
}


def gv100ad_line(
    record_type: str,
    regional_key: str,
    name: str,
    *,
    association: str = "",
    seat: str = "",
    code: str = "",
    figures: tuple[int, int, int] | None = None,
    postcode: str = "",
    valid_on: str = "20231130",
) -> str:
    """A line in the fixed-width layout; ``figures`` = area (ha), population, male."""
    line = f"{record_type}{valid_on}{regional_key:<8}{association:<4}{name:<50}{seat:<50}{code:<2}"
    if figures is not None:
        line += " " * 4 + "".join(f"{n:011d}" for n in figures) + " " * 4 + postcode
    return line.ljust(220)


SCHLESWIG_HOLSTEIN = [
    gv100ad_line("10", "01", "Schleswig-Holstein", seat="Kiel"),
    gv100ad_line("40", "01001", "Flensburg, Stadt", seat="Flensburg", code="41"),
    gv100ad_line("50", "01001", "Flensburg, Stadt", association="0000", code="50"),
    gv100ad_line(
        "60",
        "01001000",
        "Flensburg, Stadt",
        association="0000",
        code="61",
        figures=(5673, 92550, 45874),
    ),
]


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "GV100AD.txt"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_municipalities", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def with_population(line: str, population: int) -> str:
    return line[:139] + f"{population:011d}" + line[150:]


def test_line_helper_reproduces_the_official_layout():
    ravensburg = next(line for line in sample_lines() if line.startswith("6020231130084360645005"))
    built = gv100ad_line(
        "60",
        "08436064",
        "Ravensburg, Stadt",
        association="5005",
        code="67",
        figures=(9205, 51482, 25531),
        postcode="88212",
    )
    assert built[:170] == ravensburg[:170]


def test_parser_reads_every_line_of_the_sample():
    items = list(parse_gv100ad(SAMPLE.read_bytes()))

    assert len(items) == 44
    assert all(isinstance(item, DirectoryRecord) for item in items)
    ravensburg = next(item for item in items if item.key == "08436064")
    assert ravensburg.line == 44
    assert ravensburg.name == "Ravensburg, Stadt"
    assert ravensburg.code == "67"
    assert ravensburg.association_key == "084365005"
    assert ravensburg.ars == "084365005064"
    assert (ravensburg.area_ha, ravensburg.population) == (9205, 51482)
    assert (ravensburg.population_male, ravensburg.postcode) == (25531, "88212")
    assert ravensburg.valid_on == date(2023, 11, 30)


def test_parser_reads_regions_and_gemeindeverband_keys():
    data = "\n".join(
        [
            gv100ad_line("30", "0843", "Region Bodensee-Oberschwaben", seat="Ravensburg"),
            gv100ad_line("50", "08436", "GVV Mittleres Schussental", association="5005", code="56"),
        ]
    ).encode()

    region, association = parse_gv100ad(data)

    assert (region.record_type, region.key, region.seat) == (30, "0843", "Ravensburg")
    assert (association.record_type, association.key) == (50, "084365005")


def test_parser_accepts_lines_without_trailing_spaces():
    stripped = "\n".join(line.rstrip() for line in sample_lines()).encode()

    items = list(parse_gv100ad(stripped))

    assert [item for item in items if isinstance(item, Rejection)] == []
    assert len(items) == 44


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (SCHLESWIG_HOLSTEIN[3][:40], "Zeile zu kurz (40 Zeichen, erwartet mindestens 150)"),
        (SCHLESWIG_HOLSTEIN[1][:100], "Zeile zu kurz (100 Zeichen, erwartet mindestens 124)"),
        (gv100ad_line("99", "01", "Irgendwas"), "unbekannte Satzart 99"),
        (
            gv100ad_line("60", "0100X000", "Flensburg", association="0000", code="61"),
            "Schlüssel „0100X000“ ist nicht numerisch",
        ),
        (gv100ad_line("40", "01001", "", code="41"), "Name fehlt"),
        (
            gv100ad_line("10", "01", "Schleswig-Holstein", valid_on="20231131"),
            "ungültiger Gebietsstand „20231131“ (erwartet JJJJMMTT)",
        ),
        (
            gv100ad_line("40", "01001", "Flensburg", code="99"),
            "unbekanntes Textkennzeichen 99 für Satzart 40",
        ),
        (
            SCHLESWIG_HOLSTEIN[3][:139] + "0000009x550" + SCHLESWIG_HOLSTEIN[3][150:],
            "Einwohnerzahl „0000009x550“ ist keine Zahl",
        ),
    ],
)
def test_parser_rejects_malformed_lines_with_a_reason(line, reason):
    data = f"\n{line}\n".encode()

    assert list(parse_gv100ad(data)) == [Rejection(2, reason)]


def test_sample_import_creates_regions_and_organizations(db):
    output = run_import(SAMPLE)

    assert "Gebietseinheiten: 44 neu, 0 geändert, 0 unverändert" in output
    assert "Organisationen: 23 neu, 0 geändert, 0 unverändert" in output
    assert "Abgelehnte Zeilen: 0" in output
    assert Region.objects.filter(level=RegionLevel.GEMEINDE).count() == 15
    assert Region.objects.filter(level=RegionLevel.REGIERUNGSBEZIRK).count() == 4
    assert Organization.objects.filter(kind=OrganizationKind.LANDKREIS).count() == 8
    assert set(Organization.objects.values_list("source", flat=True)) == {
        OrganizationSource.DIRECTORY
    }


def test_sample_import_builds_the_hierarchy_of_ravensburg(db):
    run_import(SAMPLE)

    gemeinde = Region.objects.get(key="08436064")
    assert [region.key for region in gemeinde.ancestors()] == ["08", "084", "08436"]
    assert gemeinde.association.key == "084365005"
    assert gemeinde.association.parent.key == "08436"
    assert (gemeinde.name, gemeinde.official_name) == ("Ravensburg", "Ravensburg, Stadt")
    assert (gemeinde.ars, gemeinde.code, gemeinde.postcode) == ("084365005064", "67", "88212")
    assert (gemeinde.population, gemeinde.area_ha) == (51482, 9205)
    assert gemeinde.valid_on == date(2023, 11, 30)
    assert Region.objects.get(key="08436").seat == "Ravensburg"


def test_sample_import_creates_the_demo_towns_with_their_kind(db):
    run_import(SAMPLE)

    for ags, (name, kind) in DEMO_TOWNS.items():
        organization = Organization.objects.get(ags=ags)
        assert (organization.name, organization.kind) == (name, kind)
        assert organization.region.key == ags
        assert organization.is_member is False
    assert Organization.objects.get(ags="08436011").kind == OrganizationKind.GEMEINDE


def test_landkreise_become_organizations_but_stadtkreise_do_not(db):
    run_import(SAMPLE)

    landkreise = Organization.objects.filter(kind=OrganizationKind.LANDKREIS)
    assert landkreise.get(ags="08436000").name == "Landkreis Ravensburg"
    assert landkreise.get(ags="08436000").region.key == "08436"
    assert landkreise.get(ags="08136000").name == "Ostalbkreis"
    assert not landkreise.filter(ags__in=["08111000", "08211000"]).exists()
    assert Organization.objects.filter(ags="08211000").count() == 1


def test_reimport_reports_everything_unchanged_and_changes_nothing(db):
    run_import(SAMPLE)
    regions = list(Region.objects.values())
    organizations = list(Organization.objects.values())

    output = run_import(SAMPLE)

    assert "Gebietseinheiten: 0 neu, 0 geändert, 44 unverändert" in output
    assert "Organisationen: 0 neu, 0 geändert, 23 unverändert" in output
    assert list(Region.objects.values()) == regions
    assert list(Organization.objects.values()) == organizations


def test_changed_population_is_reported_as_updated(db, tmp_path):
    run_import(SAMPLE)
    lines = [
        with_population(line, 52000) if line.startswith("6020231130084360645005") else line
        for line in sample_lines()
    ]

    output = run_import(write(tmp_path, lines))

    assert "Gebietseinheiten: 0 neu, 1 geändert, 43 unverändert" in output
    assert "Organisationen: 0 neu, 1 geändert, 22 unverändert" in output
    assert Region.objects.get(key="08436064").population == 52000
    assert Organization.objects.get(ags="08436064").population == 52000


def test_reimport_keeps_what_the_platform_maintains(db, tmp_path):
    run_import(SAMPLE)
    Organization.objects.filter(ags="08436064").update(
        is_member=True, description="Mitglied seit 2024", slug="rv", website="https://rv.de"
    )
    lines = [
        with_population(line, 52000) if "08436064" in line[10:18] else line
        for line in sample_lines()
    ]

    run_import(write(tmp_path, lines))

    ravensburg = Organization.objects.get(ags="08436064")
    assert ravensburg.population == 52000
    assert (ravensburg.is_member, ravensburg.slug) == (True, "rv")
    assert (ravensburg.description, ravensburg.website) == ("Mitglied seit 2024", "https://rv.de")


def test_platform_organization_only_gets_its_gaps_filled(db):
    town = OrganizationFactory(
        name="Stadt Ravensburg", ags="08436064", kind=OrganizationKind.STADT, population=None
    )

    slug = town.slug

    output = run_import(SAMPLE)

    town.refresh_from_db()
    assert "Organisationen: 22 neu, 1 geändert, 0 unverändert" in output
    assert (town.name, town.kind, town.slug) == ("Stadt Ravensburg", OrganizationKind.STADT, slug)
    assert (town.population, town.region.key) == (51482, "08436064")
    assert Organization.objects.filter(ags="08436064").count() == 1


def test_directory_town_whose_kind_changed_keeps_its_organization(db):
    herrenberg = OrganizationFactory(
        name="Herrenberg", ags="08115021", kind=OrganizationKind.STADT, source="directory"
    )

    run_import(SAMPLE)

    herrenberg.refresh_from_db()
    assert herrenberg.kind == OrganizationKind.GROSSE_KREISSTADT
    assert Organization.objects.filter(ags="08115021").count() == 1


def test_new_organization_gets_the_ags_in_its_slug_when_the_name_is_taken(db):
    OrganizationFactory(name="Berg", slug="berg", kind=OrganizationKind.SONSTIGE)

    run_import(SAMPLE)

    assert Organization.objects.get(ags="08436013").slug == "berg-08436013"
    assert Organization.objects.get(ags="08436011").slug == "baienfurt"


def test_malformed_lines_are_rejected_while_good_lines_import(db, tmp_path):
    bad = [
        "",
        SCHLESWIG_HOLSTEIN[3][:40],
        gv100ad_line("60", "0843606X", "Ravensburg", association="5005", code="67"),
        gv100ad_line("99", "08", "Unbekannt"),
        gv100ad_line("40", "08437", "", code="44"),
    ]

    output = run_import(write(tmp_path, sample_lines() + bad))

    assert "Gebietseinheiten: 44 neu, 0 geändert, 0 unverändert" in output
    assert "Abgelehnte Zeilen: 4\n" in output
    assert "  Zeile 46: Zeile zu kurz (40 Zeichen, erwartet mindestens 150)\n" in output
    assert "  Zeile 47: Schlüssel „0843606X“ ist nicht numerisch\n" in output
    assert "  Zeile 48: unbekannte Satzart 99\n" in output
    assert "  Zeile 49: Name fehlt\n" in output


def test_gemeinde_whose_kreis_is_unknown_is_rejected(db, tmp_path):
    stray = gv100ad_line(
        "60", "08999001", "Nirgendwo", association="0001", code="64", figures=(1, 1, 1)
    )

    output = run_import(write(tmp_path, [*sample_lines(), stray]))

    assert "  Zeile 45: Kreis 08999 unbekannt" in output
    assert not Region.objects.filter(key="08999001").exists()
    assert not Organization.objects.filter(ags="08999001").exists()


def test_duplicate_key_is_rejected(db, tmp_path):
    lines = sample_lines()

    output = run_import(write(tmp_path, [*lines, lines[-1]]))

    assert "  Zeile 45: Schlüssel 08436064 kommt mehrfach vor" in output


def test_kreis_of_a_land_without_regierungsbezirke_hangs_on_the_land(db, tmp_path):
    run_import(write(tmp_path, SCHLESWIG_HOLSTEIN))

    assert Region.objects.get(key="01001").parent.key == "01"
    assert not Region.objects.filter(level=RegionLevel.REGIERUNGSBEZIRK).exists()
    flensburg = Organization.objects.get(ags="01001000")
    assert flensburg.kind == OrganizationKind.STADTKREIS


def test_area_outside_any_kreis_hangs_on_the_land_without_organization(db, tmp_path):
    lines = [
        gv100ad_line("10", "13", "Mecklenburg-Vorpommern", seat="Schwerin"),
        gv100ad_line("50", "13000", "Küstengewässer", association="9999", code="50"),
        gv100ad_line(
            "60", "13000999", "Küstengewässer", association="9999", code="66", figures=(100, 0, 0)
        ),
    ]

    output = run_import(write(tmp_path, lines))

    assert "Abgelehnte Zeilen: 0" in output
    assert Region.objects.get(key="13000999").parent.key == "13"
    assert not Organization.objects.exists()


def test_iso_8859_1_file_gives_the_same_names(db, tmp_path):
    run_import(write(tmp_path, sample_lines(), encoding="iso-8859-1"))

    assert Region.objects.get(key="08").name == "Baden-Württemberg"
    assert Region.objects.get(key="08136065").official_name == "Schwäbisch Gmünd, Stadt"
    assert Organization.objects.get(ags="08416041").name == "Tübingen"


def test_land_option_keeps_only_that_land(db, tmp_path):
    path = write(tmp_path, SCHLESWIG_HOLSTEIN + sample_lines())

    output = run_import(path, "--land", "08")

    assert "Gebietseinheiten: 44 neu" in output
    assert not Region.objects.filter(key__startswith="01").exists()


def test_invalid_land_option_is_refused(db):
    with pytest.raises(CommandError, match="zweistelligen Länderschlüssel"):
        run_import(SAMPLE, "--land", "BW")


def test_dry_run_writes_nothing(db):
    output = run_import(SAMPLE, "--dry-run")

    assert "Gebietseinheiten: 44 neu" in output
    assert "Probelauf: Es wurde nichts gespeichert." in output
    assert not Region.objects.exists()
    assert not Organization.objects.exists()


def test_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="wurde nicht gefunden"):
        run_import(tmp_path / "fehlt.txt")


def test_file_without_any_valid_line_is_a_command_error(db, tmp_path):
    path = write(tmp_path, ["Das ist kein Gemeindeverzeichnis."])

    with pytest.raises(CommandError, match="keinen gültigen Satz im Format gv100ad"):
        run_import(path)


def test_progress_is_reported_for_every_record(db):
    calls = []

    directory_import(
        parse_gv100ad(SAMPLE.read_bytes()), land=None, progress=lambda *c: calls.append(c)
    )

    assert len(calls) == 44
    assert calls[-1] == (44, 44)


def test_import_query_count_does_not_grow_with_records(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        run_import(SAMPLE)
    with django_assert_max_num_queries(10):
        run_import(SAMPLE)


def municipalities(regions: QuerySet[Region]) -> QuerySet[Region]:
    """Gemeinden without the gemeindefreie Gebiete (Textkennzeichen 65/66)."""
    return regions.filter(level=RegionLevel.GEMEINDE).exclude(code__in=["65", "66"])


@pytest.fixture
def official_file() -> Path:
    if not OFFICIAL.exists():
        pytest.skip(f"{OFFICIAL} fehlt")
    return OFFICIAL


def test_official_file_imports_completely_in_well_under_a_minute(db, official_file):
    started = time.monotonic()
    output = run_import(official_file)
    elapsed = time.monotonic() - started

    assert "Gebietseinheiten: 16035 neu" in output
    assert "Abgelehnte Zeilen: 0" in output
    # 10,981 records of type 60: 10,773 Gemeinden and 208 gemeindefreie Gebiete (65/66).
    assert Region.objects.filter(level=RegionLevel.GEMEINDE).count() == 10981
    assert Organization.objects.filter(kind__in=MUNICIPAL_KINDS).count() == 10773
    bw = Region.objects.filter(key__startswith="08")
    assert bw.filter(level=RegionLevel.REGIERUNGSBEZIRK).count() == 4
    assert bw.filter(level=RegionLevel.KREIS, code="44").count() == 35
    assert bw.filter(level=RegionLevel.KREIS, code="42").count() == 9
    assert municipalities(bw).count() == 1101
    bw_organizations = Organization.objects.filter(ags__startswith="08")
    assert bw_organizations.filter(kind__in=MUNICIPAL_KINDS).count() == 1101
    assert bw_organizations.filter(kind=OrganizationKind.LANDKREIS).count() == 35
    assert bw_organizations.filter(kind=OrganizationKind.STADTKREIS).count() == 9
    for ags, (name, kind) in DEMO_TOWNS.items():
        assert Organization.objects.filter(ags=ags, name=name, kind=kind).exists()
    assert elapsed < 60


def test_official_file_with_land_option_imports_baden_wuerttemberg(db, official_file):
    output = run_import(official_file, "--land", "08")

    assert "Abgelehnte Zeilen: 0" in output
    assert municipalities(Region.objects.all()).count() == 1101
    assert not Region.objects.exclude(key__startswith="08").exists()
