"""Demo data of the cooperation exchange: statements of the Ravensburg event, proposals."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from initiativek.cooperation import selectors
from initiativek.cooperation.constants import JoinStatus, MemberRole
from initiativek.cooperation.models import (
    CooperationMember,
    CooperationPost,
    CooperationProposal,
    JoinRequest,
)
from initiativek.cooperation.seeding import DEMO_MARK, seed_demo_cooperation
from initiativek.events.models import ClosingStatement
from initiativek.organizations import demo as organizations_demo
from initiativek.organizations.constants import OrganizationKind
from tests.accounts.factories import UserFactory
from tests.events.factories import EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo_world():
    towns = {
        ags: OrganizationFactory(ags=ags, name=name, kind=OrganizationKind.GROSSE_KREISSTADT)
        for ags, name in organizations_demo.MEMBER_MUNICIPALITIES.items()
    }
    ravensburg = towns[organizations_demo.DEMO_ORGANIZATION_AGS]
    for email in ("redaktion@example.org", "admin@example.org"):
        MembershipFactory(organization=ravensburg, user=UserFactory(email=email), editor=True)
    starts = datetime.datetime(2021, 5, 11, 12, tzinfo=BERLIN)
    event = EventFactory(
        slug="ravensburg-2021",
        hosts=[ravensburg],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    ProjectFactory(slug="smart-parking", owner=towns["08326074"])
    return towns, event


def _snapshot():
    return (
        sorted(ClosingStatement.objects.values_list("organization__ags", "text", "created_at")),
        sorted(CooperationProposal.objects.values_list("slug", "status", "initiator__ags")),
        sorted(
            CooperationMember.objects.values_list("proposal__slug", "organization__ags", "role")
        ),
        sorted(CooperationPost.objects.values_list("proposal__slug", "author__email", "text")),
        sorted(JoinRequest.objects.values_list("proposal__slug", "organization__ags", "status")),
    )


def test_statements_become_proposals_with_the_named_towns_as_first_members(demo_world):
    _towns, event = demo_world
    assert seed_demo_cooperation() == 3
    assert event.closing_statements.count() == 4
    for proposal in CooperationProposal.objects.all():
        assert proposal.source_statement.event == event
        assert proposal.initiator == proposal.source_statement.organization
        named = selectors.statement_named_organizations(statement=proposal.source_statement)
        members = {m.organization for m in proposal.members.exclude(role=MemberRole.INITIATOR)}
        assert members == set(named)


def test_the_demo_shows_a_pending_request_posts_and_a_linked_project(demo_world):
    seed_demo_cooperation()
    request = JoinRequest.objects.get()
    assert request.status == JoinStatus.PENDING
    assert request.organization.ags == "08136065"  # Schwäbisch Gmünd
    posts = CooperationPost.objects.all()
    assert {post.author.email for post in posts} == {"redaktion@example.org", "admin@example.org"}
    assert all(DEMO_MARK in post.text for post in posts)
    smart_parking = CooperationProposal.objects.get(slug__contains="smart-parking")
    assert list(smart_parking.projects.values_list("slug", flat=True)) == ["smart-parking"]


def test_one_statement_is_left_for_the_follow_up(demo_world):
    seed_demo_cooperation()
    due = list(selectors.statement_list_for_followup())
    assert [statement.organization.ags for statement in due] == ["08335043"]  # Konstanz


def test_seeding_twice_changes_nothing(demo_world):
    seed_demo_cooperation()
    before = _snapshot()
    assert seed_demo_cooperation() == 0
    assert _snapshot() == before


def test_a_decided_demo_request_is_not_recreated(demo_world):
    seed_demo_cooperation()
    JoinRequest.objects.update(status=JoinStatus.DECLINED)
    seed_demo_cooperation()
    assert list(JoinRequest.objects.values_list("status", flat=True)) == [JoinStatus.DECLINED]


def test_without_the_demo_event_nothing_is_seeded(db):
    assert seed_demo_cooperation() == 0
    assert not CooperationProposal.objects.exists()


def test_seed_demo_loads_the_exchange_and_reports_the_count(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Kooperationsvorschläge: 3 neu" in out
    call_command("seed_demo")
    assert "Kooperationsvorschläge: 0 neu" in capsys.readouterr().out
    assert CooperationProposal.objects.count() == 3
