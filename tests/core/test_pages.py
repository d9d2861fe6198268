import pytest
from django.conf import settings
from django.urls import reverse

from initiativek.core import selectors

PUBLIC_PAGES = [
    "core:home",
    "core:initiative",
    "core:impressum",
    "core:privacy",
    "core:accessibility",
    "projects:catalog",
    "events:list",
    "surveys:list",
    "cooperation:list",
    "organizations:directory",
    "account_login",
    "account_signup",
    "account_reset_password",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_german_with_layout(client, name):
    response = client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de"' in body
    assert 'href="#inhalt"' in body  # skip link
    assert "Hauptnavigation" in body
    assert "Impressum" in body and "Datenschutz" in body and "Barrierefreiheit" in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_english_when_chosen(client, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in body
    assert "Main navigation" in body
    assert "Privacy" in body and "Accessibility" in body


@pytest.mark.django_db
def test_browser_language_does_not_switch_away_from_german(client):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de"' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_sets_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/initiative/"})
    assert response.status_code == 302
    assert "About Initiative K" in client.get("/initiative/").content.decode()
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert "Über die Initiative K" in client.get("/initiative/").content.decode()


@pytest.mark.django_db
def test_home_presents_questions_goals_and_partners(client):
    from tests.organizations.factories import OrganizationFactory

    OrganizationFactory(name="NCP", kind="partner", partner_role="begleitet die Initiative")
    body = client.get("/").content.decode()
    assert "Drei Leitfragen" in body
    assert "Kommunale IT-Abteilungen entlasten." in body
    assert "Klimaschutz und optimierte Gebäudenutzung vorantreiben." in body
    assert "Wer mitmachen kann" in body
    assert "NCP" in body and "begleitet die Initiative" in body
    assert reverse("organizations:directory") in body


@pytest.mark.django_db
def test_home_in_english_shows_translated_goals(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert "The five goals of the initiative" in body
    assert "Relieve municipal IT departments." in body


@pytest.mark.django_db
def test_healthz_reports_ok_with_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_503_without_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OSError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert selectors.database_is_healthy() is False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_unknown_page_gives_german_404_in_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_page_titles_name_the_page_and_the_platform(client):
    body = client.get(reverse("organizations:directory")).content.decode()
    assert "<title>Organisationen – Initiative K</title>" in body


@pytest.mark.django_db(transaction=True)
def test_accessibility_feedback_reaches_the_team(client, settings):
    from django.core import mail

    from initiativek.core.models import AccessibilityFeedback

    mail.outbox = []
    response = client.post(
        reverse("core:accessibility"),
        {
            "message": "Der Filter ist mit der Tastatur nicht erreichbar.",
            "page_url": "/organisationen/",
            "name": "Erika",
            "email": "erika@example.org",
        },
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.page_url == "/organisationen/"
    assert mail.outbox[0].to == [settings.TEAM_EMAIL]
    assert mail.outbox[0].reply_to == ["erika@example.org"]
    assert "nicht erreichbar" in mail.outbox[0].body


@pytest.mark.django_db
def test_accessibility_feedback_without_message_keeps_input(client):
    from initiativek.core.models import AccessibilityFeedback

    response = client.post(
        reverse("core:accessibility"), {"message": "", "page_url": "/projekte/", "email": "x@"}
    )
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert 'value="/projekte/"' in body
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_nul_characters_in_the_query_string_are_refused_not_a_server_error(client):
    assert client.get("/projekte/", {"q": "a\x00b"}).status_code == 400
    response = client.get("/api/v1/events/", {"gastgeber": "\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/projekte/", {"q": "Parken"}).status_code == 200
