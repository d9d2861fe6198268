"""Project import: reading files, checking rows, all-or-nothing, the command."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from initiativek.core.models import AuditEntry, Topic
from initiativek.projects import importing
from initiativek.projects.models import Project, ProjectVersion, Tag
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HEADER = ["Titel*", "Kurzbeschreibung*", "Stand*", "Ziele", "Beginn", "Sichtbarkeit"]


def csv_bytes(rows, *, delimiter=";", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(editor, rows, *, dry_run=False):
    table = importing.table_read(csv_bytes(rows))
    return importing.project_import(
        actor=editor.user, owner=editor.organization, table=table, dry_run=dry_run
    )


@pytest.fixture
def editor():
    return MembershipFactory(editor=True)


@pytest.mark.parametrize(
    ("content", "expected_headers"),
    [
        (csv_bytes([["Titel", "Stand"], ["A", "idee"]]), ["Titel", "Stand"]),
        (csv_bytes([["Titel", "Stand"], ["A", "idee"]], bom=True), ["Titel", "Stand"]),
        (csv_bytes([["Titel", "Stand"], ["A", "idee"]], delimiter=","), ["Titel", "Stand"]),
        (xlsx_bytes([["Titel", "Stand"], ["A", "idee"]]), ["Titel", "Stand"]),
    ],
    ids=["csv-semicolon", "csv-bom", "csv-comma", "xlsx"],
)
def test_csv_with_either_separator_or_bom_and_xlsx_read_the_same(content, expected_headers):
    table = importing.table_read(content)
    assert table.headers == expected_headers
    assert table.rows == [(2, ["A", "idee"])]


def test_quoted_csv_cells_keep_separators_and_line_breaks():
    content = b'Titel;Kurzbeschreibung\r\n"A; B";"Zeile 1\nZeile 2"\r\n'
    assert importing.table_read(content).rows == [(2, ["A; B", "Zeile 1\nZeile 2"])]


def test_xlsx_dates_numbers_and_formulas_become_text():
    import datetime

    content = xlsx_bytes(
        [["Titel", "Beginn", "Ziele"], ['=HYPERLINK("http://x")', datetime.date(2023, 3, 1), 3]]
    )
    assert importing.table_read(content).rows == [(2, ['=HYPERLINK("http://x")', "2023-03", "3"])]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n\x00\x01binary",
        "Titel;Stand\nÄrger;idee\n".encode("cp1252"),
        b"PK\x03\x04 not really a zip",
        b"",
    ],
    ids=["pdf", "latin1-csv", "broken-zip", "empty"],
)
def test_binary_or_wrong_type_files_are_refused(content):
    with pytest.raises(ValidationError):
        importing.table_read(content)


def test_a_zip_that_is_no_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("[Content_Types].xml", "<x/>")
    with pytest.raises(ValidationError) as info:
        importing.table_read(buffer.getvalue())
    assert info.value.code == "type_not_allowed"


def test_files_over_two_megabytes_are_refused():
    content = b"Titel;Stand\n" + b"x" * importing.IMPORT_MAX_BYTES
    with pytest.raises(ValidationError) as info:
        importing.table_read(content)
    assert info.value.code == "too_large"


def test_too_many_rows_are_refused():
    rows = [["Titel"]] + [["A"]] * (importing.IMPORT_MAX_ROWS + 1)
    with pytest.raises(ValidationError) as info:
        importing.table_read(csv_bytes(rows))
    assert info.value.code == "too_many_rows"


def test_import_creates_drafts_with_every_column(editor):
    topic = Topic.objects.get(slug="mobilitaet-parken")
    rows = [
        ["Titel", "Kurzbeschreibung", "Beschreibung", "Stand", "Themen", "Ziele", "Technologien",
         "Anbieter", "Beginn", "Ende", "Nachnutzung möglich", "Sichtbarkeit"],
        ["Smart Parking", "Parkplätze digital.", "**fett**", "in Umsetzung", topic.name, "3;5",
         "LoRaWAN; Open Data", "Firma X", "05.2021", "2022-03", "ja", "nur Mitglieder"],
    ]  # fmt: skip
    report = run(editor, rows)
    assert report.imported, report.lines()
    project = Project.objects.get()
    assert project.publication == "entwurf"
    assert project.owner == editor.organization
    assert project.status == "in_umsetzung"
    assert list(project.topics.all()) == [topic]
    assert sorted(project.goal_links.values_list("goal", flat=True)) == [3, 5]
    assert sorted(project.technologies.values_list("name", flat=True)) == ["LoRaWAN", "Open Data"]
    assert project.start_month.isoformat() == "2021-05-01"
    assert project.end_month.isoformat() == "2022-03-01"
    assert project.reuse_offered is True
    assert project.visibility == "members"
    assert ProjectVersion.objects.filter(project=project, action="created").exists()
    assert AuditEntry.objects.filter(action="projects.import.completed").exists()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Stand", "fertig", "‚fertig‘ ist kein gültiger Stand – erlaubt: Idee, geplant"),
        ("Stand", "", "Dieses Feld ist zwingend erforderlich."),
        ("Titel", "", "Dieses Feld ist zwingend erforderlich."),
        ("Titel", "x" * 201, "höchstens 200 Zeichen"),
        ("Ziele", "7", "‚7‘ ist kein Ziel der Initiative"),
        ("Themen", "Gibt es nicht", "‚Gibt es nicht‘ ist kein bekanntes Thema"),
        ("Beginn", "13.2021", "‚13.2021‘ ist kein Monat"),
        ("Beginn", "bald", "‚bald‘ ist kein Monat"),
        ("Ende", "01.2020", "Das Ende darf nicht vor dem Beginn liegen."),
        ("Nachnutzung möglich", "vielleicht", "bitte „ja“ oder „nein“"),
        ("Sichtbarkeit", "geheim", "‚geheim‘ ist keine gültige Sichtbarkeit"),
        ("Kennung", "unbekannt", "kein Projekt mit der Kennung ‚unbekannt‘"),
    ],
)
def test_every_problem_names_row_and_column(editor, column, value, expected):
    good = {"Titel": "A", "Kurzbeschreibung": "B", "Stand": "idee", "Beginn": "02.2021"}
    bad = good | {column: value}
    rows = [list(bad), [good.get(header, "") for header in bad], list(bad.values())]
    report = run(editor, rows, dry_run=True)
    assert report.rows[0].problems == []
    assert len(report.lines()) == 1
    assert report.lines()[0].startswith(f"Zeile 3, Spalte ‚{column}‘: ")
    assert expected in report.lines()[0]


def test_unknown_and_missing_columns_are_problems_of_the_file(editor):
    report = run(editor, [["Titel", "Farbe"], ["A", "rot"]], dry_run=True)
    assert not report.rows
    assert any("Unbekannte Spalte ‚Farbe‘" in problem for problem in report.problems)
    assert any(
        "Es fehlen die Pflichtspalten ‚Kurzbeschreibung‘, ‚Stand‘" in problem
        for problem in report.problems
    )


def test_dry_run_reports_but_writes_nothing(editor):
    tags_before = Tag.objects.count()
    report = run(editor, [HEADER, ["A", "B", "idee", "1", "", ""]], dry_run=True)
    assert report.ok and not report.imported
    assert [row.action for row in report.rows] == ["create"]
    assert not Project.objects.exists()
    assert not ProjectVersion.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="projects.").exists()
    assert Tag.objects.count() == tags_before


def test_a_bad_row_rolls_back_the_whole_import(editor):
    rows = [HEADER, ["A", "B", "idee", "", "", ""], ["C", "D", "fertig", "", "", ""]]
    report = run(editor, rows)
    assert not report.imported
    assert [row.action for row in report.rows] == ["create", "invalid"]
    assert not Project.objects.exists()


def test_kennung_updates_the_organizations_project_and_keeps_other_values(editor):
    project = ProjectFactory(
        owner=editor.organization, slug="bauakte", funding="EU", visibility="members", goals=[1]
    )
    rows = [
        ["Kennung", "Titel", "Kurzbeschreibung", "Stand"],
        ["bauakte", "Neu", "Kurz", "umgesetzt"],
    ]
    report = run(editor, rows)
    assert report.imported
    assert [row.action for row in report.rows] == ["update"]
    project.refresh_from_db()
    assert (project.title, project.status) == ("Neu", "umgesetzt")
    assert (project.funding, project.visibility, project.publication) == (
        "EU",
        "members",
        "veroeffentlicht",
    )
    assert list(project.goal_links.values_list("goal", flat=True)) == [1]
    assert Project.objects.count() == 1


def test_kennung_of_another_organizations_project_is_unknown(editor):
    other = ProjectFactory(slug="fremd", title="Fremd")
    rows = [["Kennung", "Titel", "Kurzbeschreibung", "Stand"], ["fremd", "Gekapert", "K", "idee"]]
    report = run(editor, rows)
    assert not report.imported
    assert "kein Projekt mit der Kennung ‚fremd‘" in report.lines()[0]
    other.refresh_from_db()
    assert other.title == "Fremd"


def test_the_same_kennung_twice_is_a_problem(editor):
    ProjectFactory(owner=editor.organization, slug="bauakte")
    rows = [
        ["Kennung", "Titel", "Kurzbeschreibung", "Stand"],
        ["bauakte", "A", "K", "idee"],
        ["bauakte", "B", "K", "idee"],
    ]
    report = run(editor, rows, dry_run=True)
    assert report.lines() == [
        "Zeile 3, Spalte ‚Kennung‘: Die Kennung ‚bauakte‘ steht schon in einer früheren Zeile."
    ]


def test_people_who_may_not_edit_the_organization_cannot_import(editor):
    member = MembershipFactory(organization=editor.organization)
    table = importing.table_read(csv_bytes([HEADER, ["A", "B", "idee", "", "", ""]]))
    with pytest.raises(Exception) as info:
        importing.project_import(
            actor=member.user, owner=editor.organization, table=table, dry_run=True
        )
    assert info.type.__name__ == "PermissionDenied"


def test_template_files_read_back_with_the_documented_columns(editor):
    for content in (importing.template_csv(), importing.template_xlsx()):
        table = importing.table_read(content)
        assert [header.rstrip("*") for header in table.headers] == [
            c.header for c in importing.COLUMNS
        ]
        report = importing.project_import(
            actor=editor.user, owner=editor.organization, table=table, dry_run=True
        )
        assert report.ok, report.lines()


def test_command_imports_and_prints_the_report(editor, tmp_path, capsys):
    path = tmp_path / "projekte.csv"
    path.write_bytes(csv_bytes([HEADER, ["A", "B", "idee", "", "", ""]], bom=True))
    call_command(
        "import_projects", str(path), organization=editor.organization.slug, user=editor.user.email
    )
    out = capsys.readouterr().out
    assert "Zeile 2: angelegt – A" in out
    assert "1 Zeilen importiert." in out
    assert Project.objects.get().title == "A"


def test_command_dry_run_writes_nothing(editor, tmp_path, capsys):
    UserFactory(is_staff=True)
    path = tmp_path / "projekte.csv"
    path.write_bytes(csv_bytes([HEADER, ["A", "B", "idee", "", "", ""]]))
    call_command("import_projects", str(path), "--dry-run", organization=editor.organization.slug)
    assert "Zeile 2: wird angelegt – A" in capsys.readouterr().out
    assert not Project.objects.exists()


def test_command_fails_with_nonzero_exit_on_problems(editor, tmp_path, capsys):
    path = tmp_path / "projekte.csv"
    path.write_bytes(csv_bytes([HEADER, ["A", "B", "fertig", "", "", ""]]))
    with pytest.raises(CommandError) as info:
        call_command(
            "import_projects",
            str(path),
            organization=editor.organization.slug,
            user=editor.user.email,
        )
    assert info.value.returncode == 1
    assert "Zeile 2, Spalte ‚Stand‘: ‚fertig‘ ist kein gültiger Stand" in capsys.readouterr().err
    assert not Project.objects.exists()
