import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from initiativek.core.models import AuditEntry
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for

User = get_user_model()


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_signup_requires_email_verification_then_logs_in(client, outbox):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Carla Beispiel",
            "function": "CDO",
            "email": "carla@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="carla@example.org")
    assert (user.name, user.function) == ("Carla Beispiel", "CDO")
    assert len(outbox) == 1 and outbox[0].to == ["carla@example.org"]
    assert "Initiative K" in outbox[0].subject

    login = client.post(
        reverse("account_login"), {"login": "carla@example.org", "password": PASSWORD}
    )
    assert reverse("account_email_verification_sent") in login["Location"]
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in(outbox[0])
    client.post(confirm_url)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signup_with_bad_input_names_the_problem_and_keeps_the_input(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "",
            "function": "Leiter IT",
            "email": "kein-at-zeichen",
            "password1": "kurz",
            "password2": "anders",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert "gültige E-Mail-Adresse" in body
    assert 'value="Leiter IT"' in body
    assert 'value="kein-at-zeichen"' in body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_login_by_email_and_wrong_password_is_refused(client):
    user = UserFactory(email="it@example.org")
    bad = client.post(reverse("account_login"), {"login": "it@example.org", "password": "falsch"})
    assert bad.status_code == 200
    assert "E-Mail-Adresse und/oder das Passwort sind leider falsch" in bad.content.decode()
    good = client.post(reverse("account_login"), {"login": "IT@example.org", "password": PASSWORD})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, outbox):
    user = UserFactory(email="reset@example.org")
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert len(outbox) == 1
    key_url = _link_in(outbox[0])
    form_url = client.get(key_url)["Location"]
    new_password = "ganz-neues-Passwort-2026"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_profile_update_saves_and_is_audited(user):
    client = client_for(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Neuer Name", "function": "CDO", "phone": "07751 123"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.function, user.phone) == ("Neuer Name", "CDO", "07751 123")
    assert AuditEntry.objects.filter(action="accounts.user.profile_changed").exists()


@pytest.mark.django_db
def test_profile_without_name_shows_error_and_keeps_input(user):
    client = client_for(user)
    response = client.post(
        reverse("accounts:profile"), {"name": "", "function": "Leitung IT", "phone": "0711"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert 'value="Leitung IT"' in body
    user.refresh_from_db()
    assert user.function != "Leitung IT"


@pytest.mark.django_db
def test_dashboard_needs_login(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
