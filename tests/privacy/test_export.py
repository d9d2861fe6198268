import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from initiativek.core.models import AuditEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CATEGORIES = [
    "account",
    "email_addresses",
    "two_factor_methods",
    "api_tokens",
    "memberships",
    "membership_applications",
    "invitations",
    "event_registrations",
    "personal_calendar_feed",
    "notifications",
    "notification_preferences",
    "consents",
    "audit_entries",
    "questionnaire_response_changes",
    "cooperation_proposals_created",
    "cooperation_join_requests",
    "cooperation_posts",
    "project_interests",
    "project_interest_messages",
    "project_changes",
    "accessibility_feedback",
    "emails_to_you",
]


def _download(user):
    response = client_for(user).get(reverse("accounts:data-export"))
    assert response.status_code == 200
    return response


def test_the_download_is_a_json_attachment(person):
    response = _download(person.user)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="initiative-k-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["format"]["version"] == 1


def test_every_category_holds_the_persons_data(person, other):
    data = json.loads(_download(person.user).content)

    for category in CATEGORIES:
        assert data[category], category
    assert data["account"]["email"] == "alpha7@example.org"
    assert data["account"]["function"] == "Funktion alpha7"
    assert [m["organization"] for m in data["memberships"]] == ["Stadt alpha7"]
    assert data["memberships"][0]["role"]["value"] == "admin"
    assert data["membership_applications"][0]["message"] == "Antrag alpha7"
    assert data["invitations"][0]["organization"] == "Einlader alpha7"
    events = sorted(r["event"] for r in data["event_registrations"])
    assert events == ["Gastveranstaltung alpha7", "Veranstaltung alpha7"]  # guest one too
    by_event = {r["event"]: r for r in data["event_registrations"]}
    assert by_event["Veranstaltung alpha7"]["accessibility_needs"] == "Bedarf alpha7"
    assert data["notifications"][0]["text"] == "Hinweis alpha7"
    assert data["api_tokens"][0]["name"] == "Schlüssel alpha7"
    assert data["two_factor_methods"][0]["type"] == "totp"
    purposes = {c["purpose"]["value"] for c in data["consents"]}
    assert {"konto_datenschutzhinweis", "veranstaltung_datenschutz", "fragebogen_kontakt"} <= (
        purposes
    )
    assert all(c["text"] and len(c["text_sha256"]) == 64 for c in data["consents"])
    assert data["cooperation_posts"][0]["text"] == "Beitrag alpha7"
    assert data["cooperation_join_requests"][0]["message"] == "Anfrage alpha7"
    assert data["project_interest_messages"][0]["text"] == "Nachricht alpha7"
    assert data["questionnaire_response_changes"][0]["questionnaire"] == "Umfrage alpha7"
    assert data["emails_to_you"][0]["subject"] == "Betreff alpha7"
    assert data["accessibility_feedback"][0]["message"] == "Barriere alpha7"
    actions = {entry["action"] for entry in data["audit_entries"]}
    assert {"accounts.user.profile_changed", "accounts.api_token.created"} <= actions


def test_secrets_are_never_exported(person):
    content = _download(person.user).content.decode()

    token = person.user.api_tokens.get()
    assert token.key_hash not in content
    assert "key_hash" not in content
    assert "geheim-alpha7" not in content  # the TOTP secret
    assert person.registration.token not in content
    assert person.user.calendar_feed.token not in content
    assert person.user.password not in content


def test_no_other_persons_data_is_in_the_file(person, other):
    content = _download(person.user).content.decode()

    assert "beta9" not in content.lower()
    others = get_user_model().objects.exclude(pk=person.user.pk)
    assert others.count() > 3
    for user in others:
        assert user.email not in content
        assert user.name not in content
    # The invitation the person sent names the invitee: left out.
    assert "kollegin@alpha7.example.org" not in content


def test_exporting_is_recorded(person):
    _download(person.user)

    entry = AuditEntry.objects.get(action="accounts.user.data_exported")
    assert entry.actor == person.user


def test_the_download_needs_login(client):
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 302
