import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from initiativek.accounts import services
from initiativek.accounts.models import ApiToken
from initiativek.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_problem
from tests.conftest import client_for

ME = "/api/v1/organizations/"


def _client(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_token_is_stored_hashed_with_a_prefix(user):
    token, raw = services.api_token_create(user=user, name="Fachverfahren")
    assert raw.startswith("ik_")
    assert token.prefix == raw[:10]
    assert raw not in token.key_hash
    assert AuditEntry.objects.filter(action="accounts.api_token.created").exists()


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_valid_token_authenticates_and_records_its_use(user, keyword):
    token, raw = services.api_token_create(user=user, name="A")
    response = _client(f"{keyword} {raw}").get(ME)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer ik_falsch", "Bearer", "Bearer a b", "Token nicht-von-uns", "Bearer ik_ä"]
)
def test_invalid_tokens_are_401_problems(db, header):
    response = _client(header).get(ME)
    body = assert_problem(response, 401)
    assert body["type"] == "urn:initiativek:problem:authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(user):
    token, raw = services.api_token_create(user=user, name="A")
    services.api_token_revoke(user=user, token_id=token.pk)
    assert_problem(_client(f"Bearer {raw}").get(ME), 401)


def test_token_of_a_deactivated_person_is_401(user):
    _token, raw = services.api_token_create(user=user, name="A")
    user.is_active = False
    user.save()
    assert_problem(_client(f"Bearer {raw}").get(ME), 401)


def test_nobody_revokes_another_persons_token(user):
    token, _raw = services.api_token_create(user=UserFactory(), name="fremd")
    with pytest.raises(Exception, match="API-Schlüssel"):
        services.api_token_revoke(user=user, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_active_tokens_per_person_are_limited(user):
    for index in range(services.API_TOKEN_MAX_ACTIVE):
        services.api_token_create(user=user, name=f"T{index}")
    with pytest.raises(ValidationError):
        services.api_token_create(user=user, name="zu viel")


def test_profile_creates_a_token_and_shows_it_once(user):
    client = client_for(user)
    response = client.post("/mein-bereich/profil/api-schluessel/", {"token-name": "Abgleich"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("ik_")
    assert raw in response.content.decode()
    assert _client(f"Bearer {raw}").get(ME).status_code == 200
    later = client.get("/mein-bereich/profil/").content.decode()
    assert "Abgleich" in later
    assert raw not in later


def test_profile_token_form_requires_a_name(user):
    response = client_for(user).post("/mein-bereich/profil/api-schluessel/", {"token-name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_profile_revokes_own_token_but_not_others(user):
    token, _raw = services.api_token_create(user=user, name="Weg damit")
    other, _ = services.api_token_create(user=UserFactory(), name="fremd")
    client = client_for(user)
    response = client.post(f"/mein-bereich/profil/api-schluessel/{token.pk}/widerrufen/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.post(f"/mein-bereich/profil/api-schluessel/{other.pk}/widerrufen/")
    assert response.status_code == 404
    assert (
        client.get(f"/mein-bereich/profil/api-schluessel/{token.pk}/widerrufen/").status_code == 405
    )


def test_token_pages_need_sign_in(db):
    response = APIClient().post("/mein-bereich/profil/api-schluessel/", {"token-name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
