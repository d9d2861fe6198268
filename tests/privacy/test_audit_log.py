import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from initiativek.core.models import AuditEntry
from initiativek.core.services import audit_log
from initiativek.events import services_host
from initiativek.organizations import services as organization_services
from initiativek.organizations.models import Organization
from initiativek.privacy.audit_labels import ACTION_LABELS
from initiativek.projects import services as project_services
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.organizations.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/team/protokoll/"
SOURCE = Path(__file__).resolve().parents[2] / "src" / "initiativek"


def _page(user, query=""):
    return client_for(user).get(URL + (f"?{query}" if query else ""))


def test_the_url_is_the_named_team_page():
    assert reverse("core:audit-log") == URL


def test_only_the_team_sees_the_log(client, user):
    membership = MembershipFactory(admin=True)
    assert client.get(URL).status_code == 302  # to the login
    assert _page(user).status_code == 403
    assert _page(membership.user).status_code == 403
    assert _page(UserFactory(is_staff=True, is_active=True)).status_code == 200


def test_entries_are_listed_newest_first_with_german_labels_and_links(team_user):
    project = ProjectFactory(title="Smart Parking")
    old = audit_log(actor=team_user, action="projects.project.changed", obj=project)
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    audit_log(actor=None, action="organizations.organization.created", obj=project.owner)

    body = _page(team_user).content.decode()
    table = body[body.index("<tbody") :]  # the labels are also options of the filter

    assert table.index("Organisation angelegt") < table.index("Projekt geändert")
    assert f'href="{project.get_absolute_url()}"' in body
    assert f'href="{project.owner.get_absolute_url()}"' in body
    assert "Team Person" in body and "System oder Gast" in body


def test_deleted_objects_are_shown_without_link(team_user):
    project = ProjectFactory(title="Weg damit")
    audit_log(actor=team_user, action="projects.project.changed", obj=project)
    url = project.get_absolute_url()
    project.delete()

    body = _page(team_user).content.decode()

    assert "Weg damit" in body and f'href="{url}"' not in body


@pytest.fixture
def entries(team_user):
    organization = OrganizationFactory(name="Tettnang")
    event = EventFactory(title="Digitaltag")
    editor = UserFactory(name="Erika Editorin", email="erika@example.org")
    audit_log(actor=editor, action="organizations.organization.changed", obj=organization)
    audit_log(actor=team_user, action="events.event.changed", obj=event)
    old = audit_log(actor=team_user, action="events.event.cancelled", obj=event)
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    return organization, event


def _rows(response) -> list[str]:
    return re.findall(
        r"<code class=\"kern-body--small\">([a-z_.]+)</code>", response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "events.event.changed",
                "organizations.organization.changed",
                "events.event.cancelled",
            ],
        ),
        ("bereich=events", ["events.event.changed", "events.event.cancelled"]),
        ("aktion=events.event.cancelled", ["events.event.cancelled"]),
        ("person=erika", ["organizations.organization.changed"]),
        ("person=Team+Person", ["events.event.changed", "events.event.cancelled"]),
    ],
)
def test_filters(team_user, entries, query, expected):
    assert sorted(_rows(_page(team_user, query))) == sorted(expected)


def test_filter_by_kind_of_object(team_user, entries):
    content_type = ContentType.objects.get_for_model(Organization)

    response = _page(team_user, f"objekt={content_type.pk}")

    assert _rows(response) == ["organizations.organization.changed"]
    assert ">Organisation</option>" in response.content.decode()


def test_filter_by_period(team_user, entries):
    today = timezone.localdate()
    recent = _page(team_user, f"von={today - timedelta(days=1):%Y-%m-%d}")
    old = _page(team_user, f"bis={today - timedelta(days=30):%Y-%m-%d}")

    assert "events.event.cancelled" not in _rows(recent) and len(_rows(recent)) == 2
    assert _rows(old) == ["events.event.cancelled"]


@pytest.mark.parametrize(
    "query",
    [
        "von=gestern",
        "bis=2026-02-31",
        "aktion=gibt.es.nicht",
        "objekt=abc",
        "objekt=999999999999999999999",
        "von=2026-05-02&bis=2026-05-01",
        "seite=999",
        "seite=-1",
        "person=" + "x" * 500,
        "bis=9999-12-31",
        "von=0001-01-01",
        "von=0001-01-01&bis=0001-01-01",
    ],
)
def test_bad_filter_values_are_reported_not_an_error(team_user, entries, query):
    response = _page(team_user, query)
    assert response.status_code == 200


def test_an_impossible_period_names_the_problem(team_user, entries):
    body = _page(team_user, "von=2026-05-02&bis=2026-05-01").content.decode()
    assert "Das Ende darf nicht vor dem Anfang liegen." in body


def test_dates_far_outside_the_platforms_life_are_refused_with_a_reason(team_user, entries):
    body = _page(team_user, "bis=9999-12-31").content.decode()
    assert "Bitte geben Sie ein Datum zwischen 2000 und 2100 an." in body


def test_the_log_is_paginated(team_user):
    organization = OrganizationFactory()
    for _ in range(51):
        audit_log(actor=None, action="organizations.organization.changed", obj=organization)

    first = _page(team_user)
    second = _page(team_user, "bereich=organizations&seite=2")

    assert len(_rows(first)) == 50
    assert "seite=2" in first.content.decode()
    assert len(_rows(second)) == 1


def test_the_number_of_queries_does_not_grow_with_entries(team_user, django_assert_max_num_queries):
    for _index in range(30):
        project = ProjectFactory()
        audit_log(actor=UserFactory(), action="projects.project.changed", obj=project)
        audit_log(actor=team_user, action="events.event.changed", obj=EventFactory())
    client = client_for(team_user)

    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def _action_codes_in_source() -> set[str]:
    codes = set()
    pattern = re.compile(r'action=f?"([a-z_]+\.[a-z_]+\.[a-z_{}\'\s]+)"')
    for path in SOURCE.rglob("*.py"):
        for code in pattern.findall(path.read_text(encoding="utf-8")):
            codes.add(code)
    # Dotted codes passed as variables.
    for path in SOURCE.rglob("*.py"):
        codes.update(re.findall(r'"((?:events|surveys)\.[a-z_]+\.[a-z_]+)"', path.read_text()))
    return codes


def test_every_action_written_in_the_code_has_a_german_label():
    dynamic = {
        "projects.project.{action}": ["created", "changed", "published", "unpublished", "archived"],
        "surveys.response.{action}": ["saved", "submitted"],
    }
    missing = []
    for code in _action_codes_in_source():
        if "{" in code:
            prefix = code.split("{")[0]
            for suffix in dynamic.get(code, ["accepted", "declined"]):
                if prefix + suffix not in ACTION_LABELS:
                    missing.append(prefix + suffix)
        elif code not in ACTION_LABELS:
            missing.append(code)
    assert missing == []


# The audit trail covers changes to organizations, memberships, projects and events.


def test_organization_and_membership_changes_are_recorded():
    admin = MembershipFactory(admin=True)
    organization = admin.organization
    member = MembershipFactory(organization=organization)
    invitation = InvitationFactory(organization=organization, email="neu@example.org")
    invited = UserFactory(email="neu@example.org")

    organization_services.organization_profile_save(
        organization=organization, actor=admin.user, data={"description": "Neu"}
    )
    organization_services.membership_change_role(membership=member, actor=admin.user, role="editor")
    organization_services.invitation_accept(invitation=invitation, user=invited)
    organization_services.membership_remove(membership=member, actor=admin.user)

    actions = list(
        AuditEntry.objects.filter(object_id=str(organization.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "organizations.organization.changed",
        "organizations.membership.role_changed",
        "organizations.invitation.accepted",
        "organizations.membership.removed",
    ]


def test_project_changes_are_recorded():
    editor = MembershipFactory(editor=True)
    project = project_services.project_create(
        actor=editor.user,
        owner=editor.organization,
        data={"title": "eAkte", "summary": "Einführung"},
        relations={},
    )
    project_services.project_update(
        project=project, actor=editor.user, data={"summary": "Neu"}, relations={}
    )
    project_services.project_set_publication(
        project=project, actor=editor.user, publication="veroeffentlicht"
    )

    actions = list(
        AuditEntry.objects.filter(object_id=str(project.pk), actor=editor.user)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "projects.project.created",
        "projects.project.changed",
        "projects.project.published",
    ]


def test_event_changes_and_new_hosts_are_recorded():
    event = EventFactory()
    host = MembershipFactory(organization=event.hosts.get(), editor=True).user
    partner_host = OrganizationFactory(name="Weingarten")

    services_host.event_edit(
        event=event,
        actor=host,
        data={"venue": "Rathaus"},
        relations={"hosts": [event.hosts.get(), partner_host]},
    )
    services_host.event_cancel(event=event, actor=host, reason="Krankheit")

    entries = AuditEntry.objects.filter(object_id=str(event.pk), actor=host).order_by("pk")
    assert list(entries.values_list("action", flat=True)) == [
        "events.event.changed",
        "events.event.relations_changed",
        "events.event.cancelled",
    ]
    assert entries[1].data == {"fields": ["hosts"]}


def test_unchanged_relations_write_no_entry():
    event = EventFactory()
    host = MembershipFactory(organization=event.hosts.get(), editor=True).user

    services_host.event_edit(
        event=event, actor=host, data={}, relations={"hosts": [event.hosts.get()]}
    )

    assert not AuditEntry.objects.filter(action="events.event.relations_changed").exists()
