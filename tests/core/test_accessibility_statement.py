"""The accessibility statement (SPEC §9, L-BGG / BITV 2.0): it says what was tested and how,
what is not accessible, when it was reviewed, how to report a barrier and how to enforce."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client) -> str:
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    # Text only, whitespace collapsed, so the checks read like the page does.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_statement_names_the_standards_and_the_conformance_status(statement):
    for standard in ("BITV 2.0", "WCAG", "2.1", "EN 301 549", "L-BGG"):
        assert standard in statement
    assert "teilweise vereinbar" in statement


def test_statement_says_how_the_platform_is_tested(statement):
    assert "Selbstbewertung" in statement
    assert "axe-core" in statement and "bei jeder Änderung" in statement
    assert "nur mit der Tastatur" in statement and "Fokusrahmen" in statement
    assert "200 % Zoom" in statement and "400 % Zoom" in statement
    assert "KERN UX" in statement and "Kontraste" in statement


@pytest.mark.parametrize(
    "limitation",
    [
        "Swagger UI",
        "Diagramme",
        "in einer Tabelle",
        "Hochgeladene Dokumente",
        "Leichter Sprache",
    ],
)
def test_statement_names_known_limitations(statement, limitation):
    assert limitation in statement


def test_statement_links_the_alternatives_to_the_api_docs(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert f'href="{reverse("api:docs")}"' in html
    assert f'href="{reverse("api:schema")}"' in html
    assert f'href="{reverse("opendata:index")}"' in html


def test_statement_has_the_date_of_the_last_review(statement):
    assert "zuletzt am 25. November 2026 überprüft" in statement


def test_statement_describes_the_enforcement_procedure_in_baden_wuerttemberg(client, statement):
    assert "Durchsetzungsverfahren" in statement
    assert "Schlichtungsstelle beim Landeszentrum Barrierefreiheit" in statement
    assert "§ 10b L-BGG" in statement
    html = client.get(reverse("core:accessibility")).content.decode()
    assert 'href="https://barrierefreiheit-bw.de/"' in html


def test_statement_keeps_the_feedback_form(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert 'id="rueckmeldung"' in html
    assert f'action="{reverse("core:accessibility")}#rueckmeldung"' in html
    for field in ("message", "page_url", "name", "email"):
        assert f'name="{field}"' in html
    assert "Rückmeldung senden" in html


def test_feedback_from_the_statement_page_is_stored(client):
    from initiativek.core.models import AccessibilityFeedback

    response = client.post(
        reverse("core:accessibility"),
        {"message": "Die Grafik hat keinen Text.", "page_url": "/erfahrungsaustausch/"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    assert AccessibilityFeedback.objects.get().message == "Die Grafik hat keinen Text."
