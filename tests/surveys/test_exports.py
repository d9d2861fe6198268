"""CSV and XLSX exports of all responses: they parse back into the answers (issue 5, item 5)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from initiativek.core.models import AuditEntry
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.surveys import exports
from initiativek.surveys.constants import QuestionKind
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory, RegionFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)

FIXED_COLUMNS = [
    "Organisation",
    "AGS",
    "Art",
    "Regierungsbezirk",
    "Einwohnerzahl",
    "Status",
    "abgeschickt am",
    "zuletzt geändert",
    "Namensnennung erlaubt",
    "Kontakt erlaubt",
]
KEYS = ["zugang", "technik", "belastung", "geraete", "anteil", "eakte", "lehren", "alt"]


@pytest.fixture
def questionnaire(db):
    questionnaire = QuestionnaireFactory(slug="homeoffice")
    technik = SectionFactory(questionnaire=questionnaire, title="Technik", position=1)
    wirkung = SectionFactory(questionnaire=questionnaire, title="Wirkung", position=2)

    def question(key, kind, section=technik, **kwargs):
        return QuestionFactory(
            questionnaire=questionnaire, section=section, key=key, kind=kind, **kwargs
        )

    question("zugang", QuestionKind.SINGLE, choices=["VPN", "VDI"], allow_other=True, required=True)
    question(
        "technik", QuestionKind.MULTIPLE, choices=["Laptop", "Tablet", "Handy"], allow_other=True
    )
    question(
        "belastung", QuestionKind.SCALE, scale_min_label="gar nicht", scale_max_label="sehr stark"
    )
    question(
        "geraete",
        QuestionKind.NUMBER,
        unit="Geräte",
        min_value=Decimal(0),
        max_value=Decimal(100000),
    )
    question("anteil", QuestionKind.PERCENTAGE, section=wirkung)
    question("eakte", QuestionKind.YES_NO, section=wirkung)
    question("lehren", QuestionKind.TEXT, section=wirkung)
    question("alt", QuestionKind.NUMBER, section=wirkung, is_retired=True)
    return questionnaire


def _questions(questionnaire):
    return {question.key: question for question in questionnaire.questions.all()}


def _choice(question, label):
    return question.choices.get(label=label)


@pytest.fixture
def responses(questionnaire):
    """Ulm answered everything and submitted; Dorf saved a draft with two answers."""
    RegionFactory(key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen")
    ulm = OrganizationFactory(
        name="Ulm",
        ags="08421000",
        region=RegionFactory(key="08421000", name="Ulm"),
        population=126_329,
    )
    dorf = OrganizationFactory(name="Zell", kind=OrganizationKind.GEMEINDE)
    q = _questions(questionnaire)
    full = ResponseFactory(
        questionnaire=questionnaire, organization=ulm, submitted=True, consent_contact=True
    )
    AnswerFactory(response=full, question=q["zugang"], choices=[_choice(q["zugang"], "VDI")])
    AnswerFactory(
        response=full,
        question=q["technik"],
        choices=[_choice(q["technik"], "Laptop"), _choice(q["technik"], "Handy")],
        other_text="Headset",
    )
    AnswerFactory(response=full, question=q["belastung"], number_value=Decimal(4))
    AnswerFactory(response=full, question=q["geraete"], number_value=Decimal("1234.50"))
    AnswerFactory(response=full, question=q["anteil"], number_value=Decimal("42.25"))
    AnswerFactory(response=full, question=q["eakte"], bool_value=False)
    AnswerFactory(
        response=full,
        question=q["lehren"],
        text_value='Früh anfangen; "Pilot" zuerst.\nDann ausrollen.',
    )
    AnswerFactory(response=full, question=q["alt"], number_value=Decimal(7))
    draft = ResponseFactory(questionnaire=questionnaire, organization=dorf, consent_named_text=True)
    AnswerFactory(response=draft, question=q["zugang"], other_text="Citrix")
    AnswerFactory(response=draft, question=q["eakte"], bool_value=True)
    return full, draft


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for German Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _records(header, rows):
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_csv_parses_back_into_every_answer(questionnaire, responses):
    content, count = exports.responses_csv(questionnaire=questionnaire)

    header, *rows = _csv_rows(content)
    assert count == 2
    assert header == FIXED_COLUMNS + KEYS
    records = _records(header, rows)
    ulm, zell = records["Ulm"], records["Zell"]
    assert ulm["AGS"] == "08421000" and ulm["Art"] == "Stadt"
    assert ulm["Regierungsbezirk"] == "Tübingen" and ulm["Einwohnerzahl"] == "126329"
    assert ulm["Status"] == "abgeschickt" and zell["Status"] == "Entwurf"
    assert ulm["abgeschickt am"] == timezone.localtime(responses[0].submitted_at).strftime(
        "%d.%m.%Y %H:%M"
    )
    assert zell["abgeschickt am"] == ""
    assert (ulm["Namensnennung erlaubt"], ulm["Kontakt erlaubt"]) == ("nein", "ja")
    assert (zell["Namensnennung erlaubt"], zell["Kontakt erlaubt"]) == ("ja", "nein")
    assert [ulm[key] for key in KEYS] == [
        "VDI",
        "Laptop; Handy; Sonstiges: Headset",
        "4",
        "1234,5",
        "42,25",
        "Nein",
        'Früh anfangen; "Pilot" zuerst.\nDann ausrollen.',
        "7",
    ]
    assert [zell[key] for key in KEYS] == ["Sonstiges: Citrix", "", "", "", "", "Ja", "", ""]


def test_xlsx_parses_back_with_numbers_as_numeric_cells(questionnaire, responses):
    content, count = exports.responses_xlsx(questionnaire=questionnaire)

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Antworten", "Fragen"]
    sheet = workbook["Antworten"]
    header = [cell.value for cell in sheet[1]]
    assert header == FIXED_COLUMNS + KEYS
    assert all(cell.font.bold for cell in sheet[1])
    cells = {
        row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)
    }
    assert count == 2 and set(cells) == {"Ulm", "Zell"}
    ulm = cells["Ulm"]
    assert [ulm[key].value for key in KEYS] == [
        "VDI",
        "Laptop; Handy; Sonstiges: Headset",
        4,
        1234.5,
        42.25,
        "Nein",
        'Früh anfangen; "Pilot" zuerst.\nDann ausrollen.',
        7,
    ]
    for key in ("belastung", "geraete", "anteil", "alt", "Einwohnerzahl"):
        assert ulm[key].data_type == "n", key
    for key in ("zugang", "technik", "eakte", "lehren", "AGS", "Organisation"):
        assert ulm[key].data_type == "s", key
    assert ulm["AGS"].value == "08421000"  # the leading zero survives
    assert ulm["Einwohnerzahl"].value == 126_329
    zell = cells["Zell"]
    assert [zell[key].value for key in KEYS] == [
        "Sonstiges: Citrix",
        None,
        None,
        None,
        None,
        "Ja",
        None,
        None,
    ]


def test_xlsx_describes_every_question_on_a_second_sheet(questionnaire, responses):
    content, _count = exports.responses_xlsx(questionnaire=questionnaire)

    sheet = load_workbook(io.BytesIO(content))["Fragen"]
    header, *rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert header == [
        "Kennung",
        "Abschnitt",
        "Frage",
        "Typ",
        "Pflicht",
        "Einheit/Bereich",
        "Antwortmöglichkeiten",
        "nicht mehr gefragt",
    ]
    described = {row[0]: row for row in rows}
    assert [row[0] for row in rows] == KEYS
    zugang = questionnaire.questions.get(key="zugang")
    assert described["zugang"][1:5] == ["Technik", zugang.text, "Einfachauswahl", "ja"]
    assert described["zugang"][6] == "VPN; VDI; Sonstiges (Freitext)"
    assert described["belastung"][5] == "1 = gar nicht … 5 = sehr stark"
    assert described["geraete"][5] == "Geräte; 0 bis 100.000"
    assert described["anteil"][1] == "Wirkung" and described["anteil"][5] == "0 bis 100 %"
    assert described["eakte"][6] == "Ja; Nein"
    assert described["alt"][7] == "ja" and described["lehren"][7] == "nein"


def test_exports_neutralise_formulas_in_text(questionnaire, responses):
    full, draft = responses
    full.organization.name = '=HYPERLINK("http://böse.example")'
    full.organization.save()
    q = _questions(questionnaire)
    full.answers.filter(question=q["lehren"]).update(text_value="+49 711 1234")
    draft.answers.filter(question=q["zugang"]).update(other_text="@SUM(A1)")
    AnswerFactory(response=draft, question=q["lehren"], text_value=" -1+1")

    header, *rows = _csv_rows(exports.responses_csv(questionnaire=questionnaire)[0])
    workbook = load_workbook(io.BytesIO(exports.responses_xlsx(questionnaire=questionnaire)[0]))

    records = _records(header, rows)
    evil = records['\'=HYPERLINK("http://böse.example")']
    assert evil["lehren"] == "'+49 711 1234"
    assert records["Zell"]["lehren"] == "' -1+1"
    assert records["Zell"]["zugang"] == "Sonstiges: @SUM(A1)"  # not at the start: harmless
    for row in workbook["Antworten"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))


def test_queries_do_not_grow_with_the_number_of_responses(questionnaire):
    q = _questions(questionnaire)

    def add(count):
        for _index in range(count):
            response = ResponseFactory(questionnaire=questionnaire, submitted=True)
            AnswerFactory(
                response=response, question=q["technik"], choices=[*q["technik"].choices.all()]
            )
            AnswerFactory(response=response, question=q["geraete"], number_value=Decimal(3))

    def queries(build):
        with CaptureQueriesContext(connection) as captured:
            build(questionnaire=questionnaire)
        return len(captured)

    add(2)
    few = queries(exports.responses_csv), queries(exports.responses_xlsx)
    add(15)
    many = queries(exports.responses_csv), queries(exports.responses_xlsx)

    assert few == many


def _export_url(questionnaire, fmt):
    return reverse("surveys:export", kwargs={"slug": questionnaire.slug, "fmt": fmt})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_team_downloads_a_dated_file_and_the_download_is_logged(
    client, questionnaire, responses, team_user, fmt
):
    response = client_for(team_user).get(_export_url(questionnaire, fmt))

    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="homeoffice-antworten-{today}.{fmt}"'
    )
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="surveys.responses.exported")
    assert entry.actor == team_user and entry.data == {"format": fmt, "rows": 2}


def test_an_unknown_format_is_not_found(client, questionnaire, team_user):
    response = client_for(team_user).get(_export_url(questionnaire, "pdf"))

    assert response.status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("editor", 403), ("admin", 403)])
def test_members_may_not_export(client, questionnaire, responses, role, expected):
    membership = MembershipFactory(organization=responses[0].organization, role=role)

    response = client_for(membership.user).get(_export_url(questionnaire, "csv"))

    assert response.status_code == expected
    assert not AuditEntry.objects.filter(action="surveys.responses.exported").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, questionnaire):
    response = client.get(_export_url(questionnaire, "xlsx"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_people_without_a_member_organization_do_not_find_the_export(client, questionnaire):
    response = client_for(UserFactory()).get(_export_url(questionnaire, "csv"))

    assert response.status_code == 404
