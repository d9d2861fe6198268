"""Browser journey through the project import: an editor downloads the template, uploads a
file with a mistake, sees the row and column of every problem with nothing saved, uploads
the corrected file and imports it – all rows as drafts. Each step is checked with axe-core
and kept as a screenshot."""

from pathlib import Path

import pytest

from initiativek.core.models import Topic
from initiativek.projects.models import Project
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import axe_violations, screenshot
from tests.organizations.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "Titel;Kurzbeschreibung;Stand;Themen\n"
BROKEN = (
    HEADER
    + "Digitale Bauakte;Bauanträge werden digital bearbeitet.;in Umsetzung;Schulen\n"
    + "WLAN im Rathaus;Gäste-WLAN für Besucherinnen und Besucher.;fertig;\n"
)
FIXED = BROKEN.replace(";fertig;", ";umgesetzt;")


def test_an_editor_checks_and_imports_a_csv_file(page, tmp_path):
    Topic.objects.get_or_create(slug="schulen", defaults={"name": "Schulen"})
    membership = MembershipFactory(editor=True, organization__name="Konstanz")
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(membership.user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.goto("/projekte/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert "Titel" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    screenshot(page, "projekt-import", "1-upload")

    broken = tmp_path / "projekte.csv"
    broken.write_text(BROKEN, encoding="utf-8")
    page.get_by_label("Datei", exact=True).set_input_files(str(broken))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_role("heading", name="Prüfung der Importdatei").wait_for()
    alert = page.get_by_role("alert")
    assert "Es wurde nichts gespeichert" in alert.inner_text()
    problem_row = page.get_by_role("row").filter(has_text="WLAN im Rathaus")
    assert "Spalte ‚Stand‘" in problem_row.inner_text()
    assert page.get_by_role("button", name="Jetzt importieren").count() == 0
    assert Project.objects.count() == 0
    assert axe_violations(page) == []
    screenshot(page, "projekt-import", "2-probleme")

    page.get_by_role("link", name="Korrigierte Datei hochladen").click()
    fixed = tmp_path / "projekte-korrigiert.csv"
    fixed.write_text(FIXED, encoding="utf-8")
    page.get_by_label("Datei", exact=True).set_input_files(str(fixed))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_text("Alle Zeilen sind in Ordnung. Noch ist nichts gespeichert.").wait_for()
    assert Project.objects.count() == 0
    screenshot(page, "projekt-import", "3-geprueft")

    page.get_by_role("button", name="Jetzt importieren").click()
    page.get_by_role("heading", name="Import abgeschlossen").wait_for()
    assert "2 Zeilen für Konstanz importiert." in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "projekt-import", "4-importiert")
    projects = Project.objects.order_by("title")
    assert [(p.title, p.publication, p.owner.name) for p in projects] == [
        ("Digitale Bauakte", "entwurf", "Konstanz"),
        ("WLAN im Rathaus", "entwurf", "Konstanz"),
    ]
    page.get_by_role("link", name="Digitale Bauakte").click()
    page.get_by_role("heading", name="Digitale Bauakte").wait_for()
