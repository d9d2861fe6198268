"""Closing statements of events become proposals in one step."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from initiativek.cooperation import selectors, services
from initiativek.cooperation.constants import MemberRole
from initiativek.cooperation.forms import FromStatementForm
from initiativek.cooperation.models import CooperationProposal
from initiativek.core.constants import NotificationKind
from initiativek.core.models import Notification
from initiativek.organizations.constants import OrganizationKind
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.cooperation.factories import ProposalFactory
from tests.events.factories import ClosingStatementFactory, EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

STATEMENT = (
    "Ravensburg und Konstanz wollen gemeinsam ein Online-Terminmanagement für die Bürgerbüros "
    "ausschreiben."
)


def _world():
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz")
    host = OrganizationFactory(name="Villingen-Schwenningen", slug="villingen-schwenningen")
    starts = timezone.now() - timedelta(days=60)
    event = EventFactory(hosts=[host], starts_at=starts, ends_at=starts + timedelta(hours=2))
    return SimpleNamespace(
        ravensburg=ravensburg,
        konstanz=konstanz,
        host=host,
        event=event,
        statement=ClosingStatementFactory(event=event, organization=ravensburg, text=STATEMENT),
        editor=MembershipFactory(organization=ravensburg, editor=True).user,
        member=MembershipFactory(organization=ravensburg).user,
        host_editor=MembershipFactory(organization=host, editor=True).user,
        konstanz_editor=MembershipFactory(organization=konstanz, editor=True).user,
        team=UserFactory(is_staff=True),
    )


@pytest.fixture
def world(db):
    return _world()


def _from_statement(world, actor, **overrides):
    kwargs = {
        "actor": actor,
        "statement": world.statement,
        "title": "Online-Terminmanagement",
        "summary": "Gemeinsam ausschreiben.",
        "description": "",
        "member_organizations": [world.konstanz],
    }
    kwargs.update(overrides)
    return services.proposal_from_statement(**kwargs)


@pytest.mark.parametrize("who", ["editor", "host_editor", "team"])
def test_hosts_team_and_the_organizations_editors_turn_a_statement_into_a_proposal(world, who):
    proposal = _from_statement(world, getattr(world, who))
    assert proposal.source_statement == world.statement
    assert proposal.initiator == world.ravensburg
    roles = dict(proposal.members.values_list("organization__slug", "role"))
    assert roles == {"ravensburg": MemberRole.INITIATOR, "konstanz": MemberRole.MEMBER}


@pytest.mark.parametrize("who", ["member", "konstanz_editor"])
def test_others_cannot_turn_a_statement_into_a_proposal(world, who):
    with pytest.raises(PermissionDenied, match="Gastgeber"):
        _from_statement(world, getattr(world, who))
    assert not CooperationProposal.objects.exists()


def test_one_proposal_per_statement(world):
    _from_statement(world, world.editor)
    with pytest.raises(ValidationError, match="bereits der Vorschlag"):
        _from_statement(world, world.team)


def test_first_members_must_take_part_in_the_exchange(world):
    partner = OrganizationFactory(name="NCP", kind=OrganizationKind.PARTNER)
    with pytest.raises(ValidationError, match="NCP ist keine Mitgliedsorganisation"):
        _from_statement(world, world.editor, member_organizations=[partner])


def test_the_organizations_named_in_the_statement_are_preselected(world):
    heidenheim = OrganizationFactory(name="Heidenheim an der Brenz")
    waiblingen = OrganizationFactory(name="Waiblingen")
    OrganizationFactory(name="Konstanz-Nord", is_member=False)
    OrganizationFactory(name="Weingarten")  # not named
    assert selectors.statement_named_organizations(statement=world.statement) == [world.konstanz]
    world.statement.text = "Heidenheim und Waiblingen prüfen eine gemeinsame eAkte-Einführung."
    assert selectors.statement_named_organizations(statement=world.statement) == [
        heidenheim,
        waiblingen,
    ]


def test_a_name_inside_another_word_is_not_a_mention(world):
    OrganizationFactory(name="Au")
    OrganizationFactory(name="Aalen")
    world.statement.text = "Ravensburg baut seine Ausschreibung aus."
    assert selectors.statement_named_organizations(statement=world.statement) == []


def test_the_form_is_prefilled_from_the_statement(world):
    form = FromStatementForm(
        initial=FromStatementForm.initial_for_statement(world.statement), statement=world.statement
    )
    html = str(form["member_organizations"])
    assert re.search(r'value="konstanz"[^>]*checked', html)
    assert not re.search(r'value="villingen-schwenningen"[^>]*checked', html)
    assert form.initial["summary"] == STATEMENT
    assert STATEMENT in form.initial["description"]


def test_the_page_creates_the_proposal_in_one_step(world):
    url = reverse("cooperation:from-statement", kwargs={"pk": world.statement.pk})
    client = client_for(world.host_editor)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="konstanz"' in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Online-Terminmanagement",
            "summary": "Gemeinsam ausschreiben.",
            "description": "",
            "member_organizations": ["konstanz"],
        },
    )
    proposal = CooperationProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.members.count() == 2


def test_the_page_leads_to_the_existing_proposal(world):
    proposal = ProposalFactory(initiator=world.ravensburg, source_statement=world.statement)
    url = reverse("cooperation:from-statement", kwargs={"pk": world.statement.pk})
    response = client_for(world.editor).get(url)
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()


def test_forged_member_organizations_in_the_form_are_refused(world):
    url = reverse("cooperation:from-statement", kwargs={"pk": world.statement.pk})
    OrganizationFactory(slug="draussen", is_member=False)
    response = client_for(world.editor).post(
        url, {"title": "T", "summary": "S", "member_organizations": ["draussen"]}
    )
    assert response.status_code == 200
    assert not CooperationProposal.objects.exists()


def test_the_host_outcomes_page_offers_the_step_or_links_the_proposal(world):
    other = ClosingStatementFactory(event=world.event, organization=world.konstanz)
    proposal = ProposalFactory(initiator=world.ravensburg, source_statement=world.statement)
    url = reverse("events:outcomes", kwargs={"slug": world.event.slug})
    html = client_for(world.host_editor).get(url).content.decode()
    assert proposal.get_absolute_url() in html
    assert reverse("cooperation:from-statement", kwargs={"pk": other.pk}) in html
    assert "Als Kooperationsvorschlag übernehmen" in html
    assert reverse("cooperation:from-statement", kwargs={"pk": world.statement.pk}) not in html


# Who may become a first member – and that they are told


def test_organizations_that_made_statements_at_the_same_event_may_be_first_members(world):
    weingarten = OrganizationFactory(name="Weingarten")
    ClosingStatementFactory(event=world.event, organization=weingarten, text="Wir auch.")
    proposal = _from_statement(world, world.editor, member_organizations=[weingarten])
    assert proposal.members.filter(organization=weingarten).exists()


def test_organizations_neither_named_nor_at_the_event_cannot_be_entered(world):
    stranger = OrganizationFactory(name="Weingarten")
    ClosingStatementFactory(organization=stranger)  # at another event
    with pytest.raises(ValidationError, match="Weingarten wird im Statement nicht genannt"):
        _from_statement(world, world.editor, member_organizations=[stranger])
    assert not CooperationProposal.objects.exists()


def test_the_form_offers_only_named_organizations_and_those_at_the_event(world):
    weingarten = OrganizationFactory(name="Weingarten", slug="weingarten")
    ClosingStatementFactory(event=world.event, organization=weingarten)
    OrganizationFactory(name="Herrenberg", slug="herrenberg")
    form = FromStatementForm(statement=world.statement)
    offered = set(form.fields["member_organizations"].queryset.values_list("slug", flat=True))
    assert offered == {"konstanz", "weingarten"}


def test_forging_an_organization_into_the_page_is_refused(world):
    OrganizationFactory(name="Herrenberg", slug="herrenberg")
    url = reverse("cooperation:from-statement", kwargs={"pk": world.statement.pk})
    response = client_for(world.editor).post(
        url, {"title": "T", "summary": "S", "member_organizations": ["herrenberg"]}
    )
    assert response.status_code == 200
    assert not CooperationProposal.objects.exists()


def test_first_members_are_told_and_may_leave(outbox):
    world = _world()
    konstanz_member = MembershipFactory(organization=world.konstanz).user
    proposal = _from_statement(world, world.editor)
    told = Notification.objects.filter(kind=NotificationKind.COOPERATION_STATUS)
    assert list(told.values_list("user", flat=True)) == [world.konstanz_editor.pk]
    assert "Sie wurden als beteiligte Organisation eingetragen" in told.get().text
    mails = [mail for mail in outbox if world.konstanz_editor.email in mail.to]
    assert len(mails) == 1
    assert "Sie wurden als beteiligte Organisation eingetragen" in mails[0].body
    assert "Wenn das nicht stimmt, können Sie die Kooperation" in mails[0].body
    assert proposal.get_absolute_url() in mails[0].body
    assert not any(konstanz_member.email in mail.to for mail in outbox)


def test_a_proposal_made_by_the_host_tells_the_initiators_editors(world):
    _from_statement(world, world.host_editor, member_organizations=[])
    told = Notification.objects.filter(kind=NotificationKind.COOPERATION_STATUS)
    assert list(told.values_list("user", flat=True)) == [world.editor.pk]
    assert "im Namen von Ravensburg" in told.get().text


def test_a_proposal_made_by_the_initiators_editor_does_not_tell_them(world):
    _from_statement(world, world.editor, member_organizations=[])
    assert not Notification.objects.filter(user=world.editor).exists()
