"""Permission matrix for every project URL and role, for a published and a draft project."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

ROLES = ["anonymous", "outsider", "other_member", "member", "editor", "partner", "team"]

# (url name, published project statuses per role, draft project statuses per role)
# 302 = to the login page.
MATRIX = {
    "detail": ([200, 200, 200, 200, 200, 200, 200], [404, 404, 404, 200, 200, 200, 200]),
    "edit": ([302, 403, 403, 403, 200, 403, 200], [302, 404, 404, 403, 200, 403, 200]),
    "history": ([302, 403, 403, 200, 200, 200, 200], [302, 404, 404, 200, 200, 200, 200]),
    "attachments": ([302, 403, 403, 403, 200, 403, 200], [302, 404, 404, 403, 200, 403, 200]),
    # owner's editors and the team read and answer the exchange; other members declare
    "interest": ([302, 403, 200, 403, 200, 200, 200], [302, 404, 404, 403, 200, 403, 200]),
}


@pytest.fixture
def world(db):
    owner = OrganizationFactory()
    partner_org = OrganizationFactory()
    published = ProjectFactory(owner=owner)
    draft = ProjectFactory(owner=owner, draft=True)
    for project in (published, draft):
        project.partners.add(partner_org)
    users = {
        "outsider": UserFactory(),
        "other_member": MembershipFactory().user,
        "member": MembershipFactory(organization=owner).user,
        "editor": MembershipFactory(organization=owner, editor=True).user,
        "partner": MembershipFactory(organization=partner_org).user,
        "team": UserFactory(is_staff=True),
    }
    return published, draft, users


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["published", "draft"])
def test_project_permission_matrix(world, name, role, state):
    published, draft, users = world
    project = published if state == "published" else draft
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse(f"projects:{name}", kwargs={"slug": project.slug}))
    expected = MATRIX[name][0 if state == "published" else 1][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name} ({state})"


@pytest.mark.parametrize("role", ["outsider", "other_member", "member", "partner"])
def test_publication_changes_are_refused(world, role):
    _published, draft, users = world
    client = Client()
    client.force_login(users[role])
    response = client.post(
        reverse("projects:publication", kwargs={"slug": draft.slug}),
        {"publication": "veroeffentlicht"},
    )
    assert response.status_code in {403, 404}
    draft.refresh_from_db()
    assert draft.publication == "entwurf"


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("outsider", 403)])
def test_only_editors_can_open_the_create_form(world, role, expected):
    _published, _draft, users = world
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(reverse("projects:create")).status_code == expected
