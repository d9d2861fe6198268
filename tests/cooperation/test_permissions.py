"""One permission matrix over every page and action of the cooperation exchange and every role.

Roles: anonymous; signed in without organization; a partner company's editor; a plain member
and an editor of the initiator (Ravensburg); an editor of an organization not taking part
(Waiblingen); an editor of a member organization of the proposal (Konstanz); the team.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from initiativek.cooperation.constants import JoinStatus
from initiativek.cooperation.models import JoinRequest
from initiativek.organizations.constants import OrganizationKind
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import JoinRequestFactory, ProposalFactory
from tests.events.factories import ClosingStatementFactory, EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

ROLES = [
    "anonymous",
    "outsider",
    "partner",
    "member",
    "editor",
    "other_editor",
    "member_editor",
    "team",
]

# url name → expected status of a GET per role, in ROLES order. 302 = sent to sign in.
MATRIX = {
    "list": [200, 403, 403, 200, 200, 200, 200, 200],
    "create": [302, 403, 403, 403, 200, 200, 200, 200],
    "recommendations": [302, 403, 403, 200, 200, 200, 200, 200],
    "dismissed": [302, 403, 403, 200, 200, 200, 200, 200],
    "followup": [302, 403, 403, 403, 403, 403, 403, 200],
    "from-statement": [302, 403, 403, 403, 200, 403, 403, 200],
    "detail": [302, 403, 403, 200, 200, 200, 200, 200],
    "edit": [302, 403, 403, 403, 200, 403, 403, 200],
}

# POST-only actions → expected status per role; 302 for a signed-in role means it worked
# (or was answered with a message), 200 means the form came back with an explanation.
POST_MATRIX = {
    "status": [302, 403, 403, 403, 302, 403, 403, 302],
    "join": [302, 403, 403, 403, 200, 302, 200, 403],
    "join-decide": [302, 403, 403, 403, 302, 403, 403, 302],
    "join-withdraw": [302, 403, 403, 403, 403, 302, 403, 403],
    "post-create": [302, 403, 403, 302, 302, 403, 302, 403],
    "leave": [302, 403, 403, 403, 403, 403, 302, 403],
}
OTHER_POST_ONLY = {"dismiss"}  # the recommendations' action, tested with its pages

ROLE_ORGANIZATION = {
    "partner": "ncp",
    "member": "ravensburg",
    "editor": "ravensburg",
    "other_editor": "waiblingen",
    "member_editor": "konstanz",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def world(db):
    ravensburg = OrganizationFactory(slug="ravensburg", name="Ravensburg")
    konstanz = OrganizationFactory(slug="konstanz", name="Konstanz")
    waiblingen = OrganizationFactory(slug="waiblingen", name="Waiblingen")
    herrenberg = OrganizationFactory(slug="herrenberg", name="Herrenberg")
    host = OrganizationFactory(slug="villingen-schwenningen", name="Villingen-Schwenningen")
    partner = OrganizationFactory(slug="ncp", name="NCP", kind=OrganizationKind.PARTNER)
    starts = timezone.now() - timedelta(weeks=10)
    event = EventFactory(hosts=[host], starts_at=starts, ends_at=starts + timedelta(hours=2))
    users = {
        "outsider": UserFactory(),
        "partner": MembershipFactory(organization=partner, editor=True).user,
        "member": MembershipFactory(organization=ravensburg).user,
        "editor": MembershipFactory(organization=ravensburg, editor=True).user,
        "other_editor": MembershipFactory(organization=waiblingen, editor=True).user,
        "member_editor": MembershipFactory(organization=konstanz, editor=True).user,
        "team": UserFactory(is_staff=True),
    }
    return {
        "proposal": ProposalFactory(
            slug="terminmanagement", initiator=ravensburg, members=[konstanz]
        ),
        "statement": ClosingStatementFactory(event=event, organization=ravensburg),
        "herrenberg": herrenberg,
        "waiblingen": waiblingen,
        "users": users,
    }


def _url(name, world):
    proposal = world["proposal"]
    if name in {"list", "create", "recommendations", "dismissed", "followup", "dismiss"}:
        return reverse(f"cooperation:{name}")
    if name == "from-statement":
        return reverse("cooperation:from-statement", kwargs={"pk": world["statement"].pk})
    kwargs = {"slug": proposal.slug}
    if name == "join-decide":
        request = JoinRequestFactory(proposal=proposal, organization=world["herrenberg"])
        kwargs["pk"] = request.pk
    if name == "join-withdraw":
        request = JoinRequestFactory(proposal=proposal, organization=world["waiblingen"])
        kwargs["pk"] = request.pk
    return reverse(f"cooperation:{name}", kwargs=kwargs)


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def test_the_matrix_covers_every_url_of_the_app():
    names = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "app_name", None) == "cooperation"
        for pattern in pattern.url_patterns
    }
    assert names == set(MATRIX) | set(POST_MATRIX) | OTHER_POST_ONLY


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, name, role):
    response = _client(world, role).get(_url(name, world))
    expected = MATRIX[name][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name}"
    if expected == 302:
        assert reverse("account_login") in response["Location"]


def _post_data(name, role, url):
    organization = ROLE_ORGANIZATION.get(role, "ravensburg")
    if name == "status":
        return {"status": "in_gruendung"}
    if name == "join":
        return {"organization": organization, "message": "Wir machen gern mit."}
    if name == "join-decide":
        pk = url.rstrip("/").split("/")[-1]
        return {f"r{pk}-decision": "annehmen"}
    if name == "post-create":
        return {"organization": organization, "text": "Hallo zusammen"}
    if name == "leave":
        return {"organization": organization}
    return {}


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_post_permission_matrix(world, name, role):
    url = _url(name, world)
    response = _client(world, role).post(url, _post_data(name, role, url))
    expected = POST_MATRIX[name][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name}"
    login = reverse("account_login")
    if expected == 302:
        assert (login in response["Location"]) == (role == "anonymous")


def test_refused_actions_change_nothing(world):
    proposal = world["proposal"]
    for role in ("member", "other_editor", "member_editor"):
        client = _client(world, role)
        client.post(_url("status", world), {"status": "abgeschlossen"})
    proposal.refresh_from_db()
    assert proposal.status == "offen"
    request = JoinRequest.objects.get(pk=_url("join-decide", world).rstrip("/").split("/")[-1])
    _client(world, "other_editor").post(
        reverse("cooperation:join-decide", kwargs={"slug": proposal.slug, "pk": request.pk}),
        {f"r{request.pk}-decision": "annehmen"},
    )
    request.refresh_from_db()
    assert request.status == JoinStatus.PENDING


@pytest.mark.parametrize("name", sorted(set(POST_MATRIX) | OTHER_POST_ONLY))
def test_post_only_actions_refuse_get(world, name):
    response = _client(world, "member").get(_url(name, world))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["detail", "edit", "status", "join", "post-create", "leave"])
def test_unknown_proposals_are_404_for_members(world, name):
    url = reverse(f"cooperation:{name}", kwargs={"slug": "gibt-es-nicht"})
    client = _client(world, "editor")
    response = client.get(url) if name in MATRIX else client.post(url, {})
    assert response.status_code == 404


def test_a_request_of_another_proposal_is_404(world):
    other = ProposalFactory(initiator=world["proposal"].initiator)
    request = JoinRequestFactory(proposal=other, organization=world["herrenberg"])
    url = reverse(
        "cooperation:join-decide", kwargs={"slug": world["proposal"].slug, "pk": request.pk}
    )
    response = _client(world, "editor").post(url, {f"r{request.pk}-decision": "annehmen"})
    assert response.status_code == 404


def test_forbidden_pages_explain_why(world):
    html = _client(world, "outsider").get(reverse("cooperation:list")).content.decode()
    assert "Mitgliedsorganisationen der Initiative vorbehalten" in html
