"""The AuszugGV (.xlsx) reader, through ``import_municipalities`` and on its own."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from initiativek.organizations.constants import OrganizationKind
from initiativek.organizations.importers.auszuggv import parse_auszuggv
from initiativek.organizations.importers.gv100ad import DirectoryRecord, Rejection
from initiativek.organizations.models import Organization, Region

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "src/initiativek/organizations/fixtures/gv100ad_sample.txt"
)
TITLE = "Gemeindeverzeichnis-Informationssystem GV-ISys – Gebietsstand: 31.12.2023"
COLUMN_HEADERS = [
    ["Satz-art", "Text-kenn-zeichen", "Amtlicher Regionalschlüssel", None, None, None, None,
     "Gemeindename", "Fläche km² 1)", "Bevölkerung 2)", None, None, "je km²", "Postleitzahl 3)",
     "Geografische Mittelpunktkoordinaten", None, "Reisegebiet", None, "Verstädterung"],
    [None, None, "Land", "RB", "Kreis", "VB", "Gem", None, None, "insgesamt", "männlich",
     "weiblich", None, None, "Längengrad", "Breitengrad", "Schlüssel", "Bezeichnung"],
    list(range(1, 20)),
]  # fmt: skip
RECORDS = [
    ["10", None, "08", None, None, None, None, "Baden-Württemberg"],
    ["20", None, "08", "4", None, None, None, "Reg.-Bez. Tübingen"],
    ["30", None, "08", "4", "3", None, None, "Region Bodensee-Oberschwaben"],
    ["40", "44", "08", "4", "36", None, None, "Ravensburg"],
    ["50", "56", "08", "4", "36", "5005", None, "GVV Mittleres Schussental"],
    ["60", "67", "08", "4", "36", "5005", "064", "Ravensburg, Stadt", 92.05, 51482, 25531,
     25951, 559, "88212", "9,611", "47,78", "83", "Bodensee", "2", "mittlere Dichte"],
    # Typed in by hand: numbers instead of text, the leading zeros gone.
    [60, 64, 8, 4, 36, 5005, 13, "Berg", 28.42, 4623, 2300, 2323, 163, 88276, 9.6, 47.8],
]  # fmt: skip
FOOTNOTES = [["1) Katasterfläche."], ["2) Bevölkerung auf Grundlage des Zensus 2011."]]


def write_workbook(path: Path, *, title: str = TITLE, records: list | None = None) -> Path:
    workbook = Workbook()
    description = workbook.active
    description.title = "Titel"
    description.append(["Gemeindeverzeichnis – Erläuterungen"])
    description.append(["10", "Land"])
    data = workbook.create_sheet("Onlineprodukt_Gemeinden")
    for row in [[title], [], *COLUMN_HEADERS, *(RECORDS if records is None else records)]:
        data.append(row)
    for row in FOOTNOTES:
        data.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "AuszugGV4QAktuell.xlsx")


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_municipalities", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_reader_skips_headers_and_footnotes(workbook_path):
    items = list(parse_auszuggv(workbook_path.read_bytes()))

    assert all(isinstance(item, DirectoryRecord) for item in items)
    assert [item.key for item in items] == [
        "08", "084", "0843", "08436", "084365005", "08436064", "08436013"
    ]  # fmt: skip
    assert items[0].line == 6
    assert {item.valid_on for item in items} == {date(2023, 12, 31)}


def test_xlsx_imports_with_coordinates_area_and_hierarchy(db, workbook_path):
    output = run_import(workbook_path)

    assert "Gebietseinheiten: 7 neu, 0 geändert, 0 unverändert" in output
    assert "Organisationen: 3 neu, 0 geändert, 0 unverändert" in output
    assert "Abgelehnte Zeilen: 0" in output
    gemeinde = Region.objects.get(key="08436064")
    assert [region.key for region in gemeinde.ancestors()] == ["08", "084", "08436"]
    assert gemeinde.association.key == "084365005"
    assert (gemeinde.name, gemeinde.ars, gemeinde.area_ha) == ("Ravensburg", "084365005064", 9205)
    assert (gemeinde.population, gemeinde.population_male) == (51482, 25531)
    assert (gemeinde.latitude, gemeinde.longitude) == (Decimal("47.78"), Decimal("9.611"))
    assert (gemeinde.postcode, gemeinde.valid_on) == ("88212", date(2023, 12, 31))
    assert Region.objects.get(key="0843").parent.key == "084"
    town = Organization.objects.get(ags="08436064")
    assert (town.kind, town.latitude, town.longitude) == (
        OrganizationKind.GROSSE_KREISSTADT,
        Decimal("47.78"),
        Decimal("9.611"),
    )
    assert Organization.objects.get(ags="08436000").name == "Landkreis Ravensburg"


def test_numeric_cells_without_leading_zeros_give_the_same_keys(db, workbook_path):
    run_import(workbook_path)

    berg = Region.objects.get(key="08436013")
    assert (berg.postcode, berg.area_ha, berg.latitude) == ("88276", 2842, Decimal("47.8"))
    assert Organization.objects.get(ags="08436013").kind == OrganizationKind.GEMEINDE


def test_reimport_of_the_workbook_changes_nothing(db, workbook_path):
    run_import(workbook_path)

    output = run_import(workbook_path)

    assert "Gebietseinheiten: 0 neu, 0 geändert, 7 unverändert" in output
    assert "Organisationen: 0 neu, 0 geändert, 3 unverändert" in output


def test_bad_row_is_rejected_with_its_row_number(db, tmp_path):
    bad = ["60", "64", "08", "4", "36", "5005", "011", "Baienfurt", 16.01, "viele"]
    path = write_workbook(tmp_path / "AuszugGV.xlsx", records=[*RECORDS, bad])

    output = run_import(path)

    assert "Abgelehnte Zeilen: 1\n  Zeile 13: Einwohnerzahl „viele“ ist keine Zahl\n" in output
    assert Region.objects.filter(key="08436064").exists()


def test_workbook_without_gebietsstand_imports_without_date(db, tmp_path):
    path = write_workbook(tmp_path / "AuszugGV.xlsx", title="Gemeindeverzeichnis")

    run_import(path)

    assert set(Region.objects.values_list("valid_on", flat=True)) == {None}


def test_later_workbook_import_adds_coordinates_and_keeps_seats(db, workbook_path):
    run_import(SAMPLE)

    output = run_import(workbook_path)

    # Region 0843 is new; the Gebietsstand of the other six moves to 31.12.2023.
    assert "Gebietseinheiten: 1 neu, 6 geändert, 0 unverändert" in output
    assert Region.objects.get(key="08436").seat == "Ravensburg"
    assert Region.objects.get(key="08436064").latitude == Decimal("47.78")


def test_text_file_read_as_workbook_is_a_command_error(db):
    with pytest.raises(CommandError, match=r"keine lesbare Excel-Arbeitsmappe \(\.xlsx\)"):
        run_import(SAMPLE, "--format", "auszuggv")


def test_workbook_without_directory_sheet_is_a_command_error(db, tmp_path):
    path = tmp_path / "Leer.xlsx"
    Workbook().save(path)

    with pytest.raises(CommandError, match="kein Tabellenblatt mit Sätzen"):
        run_import(path)


def test_parser_reports_rows_it_cannot_read():
    workbook = Workbook()
    workbook.active.append(["60", "64", "08", "4", "361", "5005", "011", "Baienfurt"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert list(parse_auszuggv(buffer.getvalue())) == [Rejection(1, "Schlüssel „361“ ist zu lang")]
