"""Who may write what – one table, checked three ways.

For every role and every write the API offers, the expectation below must agree with the
permission function the web and the API both call, with what the API does (the change is
saved or refused with a problem document and nothing written) and with what the web's edit
page for the same object answers. So the API can never allow more than the web, and a
change to a permission function shows up here on both surfaces at once.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from initiativek.events import permissions as event_permissions
from initiativek.events.models import Event
from initiativek.events.services_host import may_host_for
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.models import Organization
from initiativek.projects import permissions as project_permissions
from initiativek.projects.models import Project
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_problem, token_client
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "member_elsewhere", "editor_elsewhere", "member", "editor", "admin", "team"]
# The one expectation: who may change the organization's profile, its projects and the events
# it hosts (SPEC §2: editors and admins of the organization, and the team).
MAY_WRITE = {"editor", "admin", "team"}


@pytest.fixture
def world():
    town = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    elsewhere = OrganizationFactory(name="Konstanz", slug="konstanz")
    return {
        "town": town,
        "elsewhere": elsewhere,
        "project": ProjectFactory(owner=town, slug="park", title="Parkleitsystem"),
        "event": EventFactory(hosts=[town], slug="treffen", title="Treffen"),
    }


def user_for(role: str, world):
    if role == "anonymous":
        return None
    if role == "team":
        return UserFactory(is_staff=True)
    organization = world["elsewhere"] if role.endswith("_elsewhere") else world["town"]
    kind = role.removesuffix("_elsewhere")
    traits = {"editor": {"editor": True}, "admin": {"admin": True}}.get(kind, {})
    return MembershipFactory(organization=organization, **traits).user


@dataclass(frozen=True)
class Write:
    """One write: how to send it, how to see whether it happened, which permission function
    decides it and which web page offers the same change (for creating: the edit page of an
    existing object of that organization – the web's create page lets everyone who may
    create for *some* organization in)."""

    method: str
    path: str  # as in the OpenAPI schema
    url: str
    body: dict
    happened: Callable[[], bool]
    permission: Callable[[object, dict], bool]
    web_page: str


WRITES = {
    "project.create": Write(
        "post",
        "/api/v1/projects/",
        "/api/v1/projects/",
        {"owner": "ravensburg", "title": "Digitale Bauakte", "summary": "Online."},
        lambda: Project.objects.filter(title="Digitale Bauakte").exists(),
        lambda user, w: project_permissions.can_create_project_for(user, w["town"]),
        "/projekte/park/bearbeiten/",
    ),
    "project.change": Write(
        "patch",
        "/api/v1/projects/{slug}/",
        "/api/v1/projects/park/",
        {"title": "Geändert"},
        lambda: Project.objects.get(slug="park").title == "Geändert",
        lambda user, w: project_permissions.can_edit_project(user, w["project"]),
        "/projekte/park/bearbeiten/",
    ),
    "project.publication": Write(
        "patch",
        "/api/v1/projects/{slug}/",
        "/api/v1/projects/park/",
        {"publication": "archiviert"},
        lambda: Project.objects.get(slug="park").publication == "archiviert",
        lambda user, w: project_permissions.can_edit_project(user, w["project"]),
        "/projekte/park/bearbeiten/",
    ),
    "organization.change": Write(
        "patch",
        "/api/v1/organizations/{slug}/",
        "/api/v1/organizations/ravensburg/",
        {"description": "Neu beschrieben."},
        lambda: Organization.objects.get(slug="ravensburg").description == "Neu beschrieben.",
        lambda user, w: org_permissions.can_edit_organization(user, w["town"]),
        "/organisationen/ravensburg/bearbeiten/",
    ),
    "event.create": Write(
        "post",
        "/api/v1/events/",
        "/api/v1/events/",
        {"host": "ravensburg", "title": "Neue Veranstaltung"},
        lambda: Event.objects.filter(title="Neue Veranstaltung").exists(),
        lambda user, w: user is not None and may_host_for(user, w["town"]),
        "/veranstaltungen/treffen/bearbeiten/",
    ),
    "event.change": Write(
        "patch",
        "/api/v1/events/{slug}/",
        "/api/v1/events/treffen/",
        {"title": "Geändertes Treffen"},
        lambda: Event.objects.get(slug="treffen").title == "Geändertes Treffen",
        lambda user, w: event_permissions.can_host(user, w["event"]),
        "/veranstaltungen/treffen/bearbeiten/",
    ),
    "event.cancel": Write(
        "post",
        "/api/v1/events/{slug}/cancel/",
        "/api/v1/events/treffen/cancel/",
        {"reason": "Krankheit"},
        lambda: Event.objects.get(slug="treffen").status == "abgesagt",
        lambda user, w: event_permissions.can_host(user, w["event"]),
        "/veranstaltungen/treffen/absagen/",
    ),
}


def test_every_write_operation_of_the_api_is_in_the_table():
    """A new write endpoint must be added here (and so be checked for every role)."""
    from tests.api.test_schemathesis import schema

    operations = {
        (method, path)
        for path, item in schema.raw_schema["paths"].items()
        for method in item
        if method in {"post", "put", "patch", "delete"}
    }
    assert operations == {(write.method, write.path) for write in WRITES.values()}


def _anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_api_web_and_permission_function_agree(world, role, name):
    write = WRITES[name]
    user = user_for(role, world)
    expected = role in MAY_WRITE

    assert write.permission(user or _anonymous_user(), world) == expected

    client = token_client(user) if user else APIClient()
    response = getattr(client, write.method)(
        write.url, json.dumps(write.body), content_type="application/json"
    )
    if expected:
        assert response.status_code in {200, 201}, response.content
    else:
        assert_problem(response, 401 if user is None else 403)
    assert write.happened() == expected

    web = client_for(user) if user else Client()
    page = web.get(write.web_page)
    if expected:
        assert page.status_code == 200
    elif user is None:
        assert page.status_code == 302 and "/konto/login/" in page["Location"]
    else:
        assert page.status_code == 403
