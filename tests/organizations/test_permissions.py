"""One permission matrix over every organization URL and role (STYLE: pretix keeps one too)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.organizations.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganizationFactory,
)

ROLES = ["anonymous", "outsider", "member", "editor", "admin", "other_admin", "team"]

# url name → expected status per role, in ROLES order. 302 = sent to the login page.
MATRIX = {
    "directory": [200, 200, 200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200, 200, 200],
    "edit": [302, 403, 403, 200, 200, 403, 200],
    "people": [302, 403, 403, 403, 200, 403, 200],
    "apply": [302, 200, 200, 200, 200, 200, 200],
    "apply-start": [302, 200, 200, 200, 200, 200, 200],
    "apply-new": [302, 200, 200, 200, 200, 200, 200],
    "review-list": [302, 404, 404, 404, 404, 404, 200],
    "review-detail": [302, 404, 404, 404, 404, 404, 200],
    "dashboard": [302, 200, 200, 200, 200, 200, 200],
}


@pytest.fixture
def world(db):
    organization = OrganizationFactory(slug="ravensburg", name="Ravensburg")
    other = OrganizationFactory(slug="konstanz", name="Konstanz")
    users = {
        "outsider": UserFactory(),
        "member": MembershipFactory(organization=organization).user,
        "editor": MembershipFactory(organization=organization, editor=True).user,
        "admin": MembershipFactory(organization=organization, admin=True).user,
        "other_admin": MembershipFactory(organization=other, admin=True).user,
        "team": UserFactory(is_staff=True),
    }
    application = ApplicationFactory()
    return organization, users, application


def _url(name, organization, application):
    if name in {"detail", "edit", "people", "apply"}:
        return reverse(f"organizations:{name}", kwargs={"slug": organization.slug})
    if name == "review-detail":
        return reverse("organizations:review-detail", kwargs={"pk": application.pk})
    if name == "dashboard":
        return reverse("accounts:dashboard")
    return reverse(f"organizations:{name}")


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, name, role):
    organization, users, application = world
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(_url(name, organization, application))
    expected = MATRIX[name][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name}"
    if expected == 302:
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", ["outsider", "member", "editor", "other_admin"])
def test_people_changes_are_refused_on_the_server(world, role):
    organization, users, _application = world
    admin_membership = organization.memberships.get(role="admin")
    client = Client()
    client.force_login(users[role])
    url = reverse("organizations:people", kwargs={"slug": organization.slug})
    for data in (
        {
            "action": "role",
            "membership": admin_membership.pk,
            f"m{admin_membership.pk}-role": "member",
        },
        {"action": "invite", "invite-email": "x@example.org", "invite-role": "admin"},
    ):
        assert client.post(url, data).status_code == 403
    remove_url = reverse(
        "organizations:membership-remove",
        kwargs={"slug": organization.slug, "pk": admin_membership.pk},
    )
    assert client.post(remove_url).status_code == 403
    admin_membership.refresh_from_db()
    assert admin_membership.role == "admin"
    assert not organization.invitations.exists()


@pytest.mark.parametrize("role", ["outsider", "member", "editor", "admin"])
def test_only_the_team_can_decide_applications(world, role):
    _organization, users, application = world
    client = Client()
    client.force_login(users[role])
    response = client.post(
        reverse("organizations:review-detail", kwargs={"pk": application.pk}),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_editing_is_refused_on_the_server_for_members(world):
    organization, users, _application = world
    client = Client()
    client.force_login(users["member"])
    response = client.post(
        reverse("organizations:edit", kwargs={"slug": organization.slug}),
        {"org-description": "gehackt", "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.description != "gehackt"
