"""Two-factor authentication is required for the team and organization admins (SPEC §9)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory

pytestmark = [pytest.mark.django_db]

SETUP = "/konto/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED = True


def signed_in(user) -> Client:
    """Signed in through the login form, as a person is (allauth then knows how recently
    they authenticated, which its 2FA set-up asks for)."""
    client = Client()
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.mark.parametrize(
    ("who", "must"),
    [
        ("team", True),
        ("org_admin", True),
        ("editor", False),
        ("member", False),
        ("no_organization", False),
    ],
)
def test_who_is_sent_to_set_up_an_authenticator_app(who, must):
    user = {
        "team": lambda: UserFactory(is_staff=True),
        "org_admin": lambda: MembershipFactory(admin=True).user,
        "editor": lambda: MembershipFactory(editor=True).user,
        "member": lambda: MembershipFactory().user,
        "no_organization": lambda: UserFactory(),
    }[who]()

    response = client_for(user).get("/mein-bereich/")

    if must:
        assert response.status_code == 302
        assert response["Location"] == SETUP
    else:
        assert response.status_code == 200


def test_the_setup_page_explains_why_and_shows_the_qr_code():
    client = signed_in(UserFactory(is_staff=True))
    # allauth asks for the password once more before 2FA settings change.
    first = client.get("/mein-bereich/", follow=True)
    assert first.redirect_chain[-1][0].startswith("/konto/reauthenticate/")
    assert "Zwei-Faktor-Anmeldung vorgeschrieben" in first.content.decode()
    client.post(first.redirect_chain[-1][0], {"password": PASSWORD})

    response = client.get("/mein-bereich/", follow=True)

    assert response.redirect_chain[-1][0] == SETUP
    page = response.content.decode()
    assert "Zwei-Faktor-Anmeldung vorgeschrieben" in page
    assert '<img src="data:image/svg+xml;base64,' in page  # the QR code to scan


def test_with_an_authenticator_app_the_team_works_normally():
    client = client_for(_with_totp(UserFactory(is_staff=True)))

    assert client.get("/mein-bereich/").status_code == 200
    assert client.get("/team/antraege/").status_code == 200


@pytest.mark.parametrize("path", ["/konto/logout/", "/datenschutz/", "/impressum/"])
def test_signing_out_and_the_legal_pages_stay_reachable(path):
    client = signed_in(MembershipFactory(admin=True).user)

    assert client.get(path).status_code == 200


def test_anonymous_visitors_are_not_affected():
    assert Client().get("/projekte/").status_code == 200


def test_without_the_requirement_nobody_is_redirected(settings):
    settings.MFA_REQUIRED = False

    assert client_for(UserFactory(is_staff=True)).get("/mein-bereich/").status_code == 200


def test_who_must_use_it_cannot_remove_the_authenticator_app():
    user = _with_totp(MembershipFactory(admin=True).user)
    client = client_for(user)

    client.post("/konto/2fa/totp/deactivate/", {})

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_member_may_remove_their_authenticator_app():
    from allauth.mfa.adapter import get_adapter

    user = _with_totp(MembershipFactory().user)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)

    assert get_adapter().can_delete_authenticator(totp)


def test_the_api_with_the_browser_session_needs_the_second_factor_too():
    import json

    from initiativek.organizations.models import Organization

    membership = MembershipFactory(admin=True, organization__description="Alt")
    client = client_for(membership.user)

    response = client.patch(
        f"/api/v1/organizations/{membership.organization.slug}/",
        json.dumps({"description": "Neu"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("mfa_required")
    assert Organization.objects.get(pk=membership.organization.pk).description == "Alt"


def test_a_personal_api_token_still_works():
    from tests.api.conftest import token_client

    client = token_client(MembershipFactory(admin=True).user)

    assert client.get("/api/v1/recommendations/").status_code != 403
