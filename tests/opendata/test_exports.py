import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import EventFactory
from tests.opendata.conftest import SITE, content_of, xlsx_rows
from tests.organizations.factories import OrganizationFactory
from tests.projects.factories import SearchableProjectFactory


def _url(dataset: str, fmt: str) -> str:
    return reverse("opendata:download", args=[dataset, fmt])


def _expected(opendata) -> dict[str, list[dict]]:
    """The public data of the fixture, written out by hand."""
    project, event, cancelled = opendata["project"], opendata["event"], opendata["cancelled"]
    for obj in (project, event, cancelled):
        obj.refresh_from_db()
    return {
        "organisationen": [
            {
                "name": "Ravensburg",
                "art": "Große Kreisstadt",
                "ags": "08436064",
                "regierungsbezirk": "Tübingen",
                "kreis": "Landkreis Ravensburg",
                "einwohner": 51000,
                "mitglied": True,
                "website": "https://www.ravensburg.de",
                "profil_url": f"{SITE}/organisationen/ravensburg/",
            },
            {
                "name": "Zweckverband Test",
                "art": "Verwaltungsverband / Zweckverband",
                "ags": "",
                "regierungsbezirk": "",
                "kreis": "",
                "einwohner": None,
                "mitglied": False,
                "website": "",
                "profil_url": f"{SITE}/organisationen/zv-test/",
            },
        ],
        "projekte": [
            {
                "titel": "Digitale Akte",
                "organisation": "Ravensburg",
                "stand": "umgesetzt",
                "themen": ["Testthema eAkte"],
                "ziele": [
                    "Verwaltungsbetrieb digital, krisensicher und bürgernah auch im Homeoffice "
                    "weiterentwickeln.",
                    "Kommunale IT-Abteilungen entlasten.",
                ],
                "technologien": ["DMS", "Scanner"],
                "anbieter": ["Firma A"],
                "nachnutzung": True,
                "kurzbeschreibung": "Alle Akten digital.",
                "beginn": "2023-01",
                "ende": None,
                "veroeffentlicht_am": None,
                "geaendert_am": timezone.localtime(project.updated_at).isoformat(),
                "url": f"{SITE}/projekte/digitale-akte/",
            }
        ],
        "veranstaltungen": [
            {
                "titel": item.title,
                "status": status,
                "beginn": timezone.localtime(item.starts_at).isoformat(),
                "ende": timezone.localtime(item.ends_at).isoformat(),
                "format": "hybrid",
                "ort": "Rathaus Ravensburg, Schwörsaal",
                "gastgeber": [host],
                "themen": topics,
                "url": f"{SITE}{item.get_absolute_url()}",
            }
            for item, status, host, topics in (
                (event, "veröffentlicht", "Ravensburg", ["Testthema eAkte"]),
                (cancelled, "abgesagt", "Zweckverband Test", []),
            )
        ],
    }


def _as_text(row: dict) -> dict:
    """A row as CSV and XLSX write it: text cells, lists joined, ja/nein, numbers kept."""
    text = {}
    for key, value in row.items():
        if isinstance(value, bool):
            value = "ja" if value else "nein"
        elif isinstance(value, list):
            value = "; ".join(value)
        elif value is None:
            value = ""
        text[key] = value
    return text


DATASETS = ["organisationen", "projekte", "veranstaltungen"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_json_export_parses_back_into_the_public_data(client, opendata, dataset):
    response = client.get(_url(dataset, "json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(content_of(response)) == _expected(opendata)[dataset]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("query", "delimiter"), [("", ","), ("?trenner=semikolon", ";")])
def test_csv_export_parses_back_with_bom_and_either_separator(
    client, opendata, dataset, query, delimiter
):
    response = client.get(_url(dataset, "csv") + query)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = content_of(response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    expected = [_as_text(row) for row in _expected(opendata)[dataset]]
    assert rows == [{k: str(v) for k, v in row.items()} for row in expected]


@pytest.mark.parametrize("dataset", DATASETS)
def test_xlsx_export_parses_back_with_numbers_as_numbers(client, opendata, dataset):
    response = client.get(_url(dataset, "xlsx"))

    assert response.status_code == 200
    header, *rows = xlsx_rows(response.content)
    parsed = [{k: "" if v is None else v for k, v in zip(header, row, strict=True)} for row in rows]
    assert parsed == [_as_text(row) for row in _expected(opendata)[dataset]]


def test_unknown_separator_falls_back_to_comma(client, opendata):
    data = content_of(client.get(_url("projekte", "csv") + "?trenner=%3Cx%3E"))

    assert data.decode("utf-8-sig").startswith("titel,organisation,")


def test_drafts_members_only_and_archived_projects_and_draft_events_never_appear(client, opendata):
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            text = content_of(client.get(_url(dataset, fmt))).decode("utf-8-sig")
            assert "Entwurf" not in text
            assert "Intern" not in text
            assert "Archiviert" not in text
            assert "Geheimer" not in text


def test_signed_in_members_download_the_same_public_data(client, opendata, user):
    from tests.conftest import client_for
    from tests.organizations.factories import MembershipFactory

    MembershipFactory(user=user, organization=opendata["ravensburg"])
    anonymous = json.loads(content_of(client.get(_url("projekte", "json"))))
    member = json.loads(content_of(client_for(user).get(_url("projekte", "json"))))

    assert member == anonymous


def test_formula_injection_is_neutralised_in_csv_and_xlsx_but_kept_in_json(client, opendata):
    OrganizationFactory(name='=HYPERLINK("https://böse.example","klick")', slug="boese")

    csv_text = content_of(client.get(_url("organisationen", "csv"))).decode("utf-8-sig")
    names = [row["name"] for row in csv.DictReader(io.StringIO(csv_text))]
    sheet_names = [row[0] for row in xlsx_rows(client.get(_url("organisationen", "xlsx")).content)]
    json_names = [
        row["name"] for row in json.loads(content_of(client.get(_url("organisationen", "json"))))
    ]

    assert '\'=HYPERLINK("https://böse.example","klick")' in names
    assert '\'=HYPERLINK("https://böse.example","klick")' in sheet_names
    assert not any(str(name).startswith("=") for name in names + sheet_names)
    assert '=HYPERLINK("https://böse.example","klick")' in json_names


def test_unknown_dataset_or_format_is_404(client, db):
    assert client.get(_url("nutzer", "csv")).status_code == 404
    assert client.get(_url("projekte", "exe")).status_code == 404


def test_exports_are_in_german_whatever_the_language(client, opendata):
    client.cookies["django_language"] = "en"
    rows = json.loads(content_of(client.get(_url("organisationen", "json"))))

    assert rows[0]["art"] == "Große Kreisstadt"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content_of(response)
    return len(queries)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_query_count_does_not_grow_with_the_data(client, opendata, dataset, fmt):
    url = _url(dataset, fmt)
    few = _queries(client, url)
    for n in range(5):
        owner = OrganizationFactory()
        SearchableProjectFactory(owner=owner, technologies=[f"T{n}"], vendors=[f"V{n}"])
        EventFactory(hosts=[owner, OrganizationFactory()])

    assert _queries(client, url) == few
    assert few <= 6
