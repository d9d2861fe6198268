"""Proposals: create, edit, change status, leave – each rule with its success and refusal."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiativek.cooperation import services
from initiativek.cooperation.constants import STATUS_TRANSITIONS, MemberRole, ProposalStatus
from initiativek.cooperation.models import CooperationMember, CooperationProposal
from initiativek.core.constants import NotificationKind
from initiativek.core.models import AuditEntry, Notification, Topic
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import ProposalFactory
from tests.events.factories import ClosingStatementFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, RegionFactory
from tests.projects.factories import ProjectFactory


def _world():
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz")
    return SimpleNamespace(
        ravensburg=ravensburg,
        konstanz=konstanz,
        editor=MembershipFactory(organization=ravensburg, editor=True).user,
        member=MembershipFactory(organization=ravensburg).user,
        konstanz_editor=MembershipFactory(organization=konstanz, editor=True).user,
        team=UserFactory(is_staff=True),
    )


@pytest.fixture
def world(db):
    return _world()


def _create(actor, initiator, **overrides):
    fields = {
        "title": "Gemeinsames Terminmanagement",
        "summary": "Wir schreiben gemeinsam aus.",
        "description": "Mehr dazu.",
        "topics": [],
        "wanted_kinds": [],
        "wanted_regions": [],
        "projects": [],
    }
    fields.update(overrides)
    return services.proposal_create(actor=actor, initiator=initiator, **fields)


def test_an_editor_proposes_and_the_organization_becomes_initiator(world):
    topic = Topic.objects.get(slug="eakte-dms")
    proposal = _create(world.editor, world.ravensburg, topics=[topic], wanted_kinds=["stadt"])
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.slug == "gemeinsames-terminmanagement"
    assert proposal.created_by == world.editor
    assert list(proposal.topics.all()) == [topic]
    assert proposal.wanted_kinds == ["stadt"]
    member = proposal.members.get()
    assert (member.organization, member.role) == (world.ravensburg, MemberRole.INITIATOR)
    assert AuditEntry.objects.filter(action="cooperation.proposal.created").exists()


def test_proposing_never_makes_other_organizations_members(world):
    """Others join by request; there is no way to enter them when proposing."""
    with pytest.raises(TypeError):
        _create(world.editor, world.ravensburg, member_organizations=[world.konstanz])
    proposal = _create(world.editor, world.ravensburg)
    assert list(proposal.members.values_list("organization__slug", flat=True)) == ["ravensburg"]


def test_a_proposal_by_the_team_in_an_organizations_name_tells_its_editors(outbox):
    world = _world()
    proposal = _create(world.team, world.konstanz)
    told = Notification.objects.filter(kind=NotificationKind.COOPERATION_STATUS)
    assert list(told.values_list("user", flat=True)) == [world.konstanz_editor.pk]
    assert told.get().text.startswith("Das Team der Initiative K hat im Namen von Konstanz")
    assert [mail.to for mail in outbox] == [[world.konstanz_editor.email]]
    assert proposal.get_absolute_url() in outbox[0].body


def test_a_proposal_by_the_organizations_own_editor_tells_nobody(world):
    _create(world.editor, world.ravensburg)
    assert not Notification.objects.exists()


def test_one_proposal_per_statement_also_when_proposing_directly(world):
    statement = ClosingStatementFactory(organization=world.ravensburg)
    first = _create(world.editor, world.ravensburg, source_statement=statement)
    assert first.source_statement == statement
    with pytest.raises(ValidationError, match="bereits der Vorschlag"):
        _create(world.team, world.ravensburg, source_statement=statement)
    assert CooperationProposal.objects.filter(source_statement=statement).count() == 1


def test_a_plain_member_cannot_propose_for_the_organization(world):
    with pytest.raises(PermissionDenied):
        _create(world.member, world.ravensburg)
    assert not CooperationProposal.objects.exists()


def test_an_editor_cannot_propose_for_another_organization(world):
    with pytest.raises(PermissionDenied):
        _create(world.konstanz_editor, world.ravensburg)


def test_the_team_proposes_for_any_member_organization(world):
    assert _create(world.team, world.konstanz).initiator == world.konstanz


def test_partner_companies_and_non_members_cannot_initiate(world):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    outside = OrganizationFactory(is_member=False)
    for organization in (partner, outside):
        with pytest.raises(ValidationError, match="keine Mitgliedsorganisation"):
            _create(world.team, organization)


def test_slugs_are_unique_and_never_a_fixed_address(world):
    first = _create(world.editor, world.ravensburg)
    second = _create(world.editor, world.ravensburg)
    assert second.slug == f"{first.slug}-2"
    for title in ("Neu", "Empfehlungen", "Nachfassen", "Aus Statement"):
        proposal = _create(world.editor, world.ravensburg, title=title)
        assert proposal.slug not in {"neu", "empfehlungen", "nachfassen", "aus-statement"}


def test_linked_projects_must_be_published_projects_of_the_members(world):
    own = ProjectFactory(owner=world.ravensburg)
    proposal = _create(world.editor, world.ravensburg, projects=[own])
    assert list(proposal.projects.all()) == [own]


@pytest.mark.parametrize("case", ["foreign", "draft"])
def test_forged_or_unpublished_projects_are_refused(world, case):
    project = (
        ProjectFactory(owner=world.konstanz)
        if case == "foreign"
        else ProjectFactory(owner=world.ravensburg, draft=True)
    )
    with pytest.raises(ValidationError) as excinfo:
        _create(world.editor, world.ravensburg, projects=[project])
    assert project.title in str(excinfo.value)
    assert not CooperationProposal.objects.exists()


def test_wanted_regions_are_bezirke_or_kreise(world):
    kreis = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg")
    gemeinde = RegionFactory(key="08436064", level=RegionLevel.GEMEINDE, name="Ravensburg")
    assert list(
        _create(world.editor, world.ravensburg, wanted_regions=[kreis]).wanted_regions.all()
    ) == [kreis]
    with pytest.raises(ValidationError, match="Regierungsbezirke oder Kreise"):
        _create(world.editor, world.ravensburg, wanted_regions=[gemeinde])


def test_partner_companies_cannot_be_wanted(world):
    with pytest.raises(ValidationError, match="partner"):
        _create(world.editor, world.ravensburg, wanted_kinds=["partner"])


def test_the_initiators_editor_updates_the_proposal(world):
    proposal = _create(world.editor, world.ravensburg)
    updated = services.proposal_update(
        actor=world.editor,
        proposal=proposal,
        title="Neuer Titel",
        summary="Neu",
        description="",
        topics=[],
        wanted_kinds=["gemeinde"],
        wanted_regions=[],
        projects=[],
    )
    assert (updated.title, updated.slug, updated.wanted_kinds) == (
        "Neuer Titel",
        proposal.slug,
        ["gemeinde"],
    )


def test_others_cannot_update_someone_elses_proposal(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    with pytest.raises(PermissionDenied, match="Ravensburg"):
        services.proposal_update(
            actor=world.konstanz_editor,
            proposal=proposal,
            title="Gekapert",
            summary="x",
            description="",
            topics=[],
            wanted_kinds=[],
            wanted_regions=[],
            projects=[],
        )
    proposal.refresh_from_db()
    assert proposal.title != "Gekapert"


def test_projects_of_any_member_can_be_linked_when_editing(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    theirs = ProjectFactory(owner=world.konstanz)
    services.proposal_update(
        actor=world.editor,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.summary,
        description="",
        topics=[],
        wanted_kinds=[],
        wanted_regions=[],
        projects=[theirs],
    )
    assert list(proposal.projects.all()) == [theirs]


def _update(world, proposal, projects):
    return services.proposal_update(
        actor=world.editor,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.summary,
        description="",
        topics=[],
        wanted_kinds=[],
        wanted_regions=[],
        projects=projects,
    )


def test_editing_keeps_linked_projects_that_are_no_longer_published(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    linked = ProjectFactory(owner=world.ravensburg, draft=True)  # unpublished since linking
    proposal.projects.add(linked)
    _update(world, proposal, [linked])
    assert list(proposal.projects.all()) == [linked]
    _update(world, proposal, [])  # unticked: unlinked on purpose
    assert not proposal.projects.exists()


def test_editing_cannot_newly_link_an_unpublished_project(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    draft = ProjectFactory(owner=world.ravensburg, draft=True)
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        _update(world, proposal, [draft])
    assert not proposal.projects.exists()


# Status


ALL_PAIRS = [(a, b) for a in ProposalStatus.values for b in ProposalStatus.values if a != b]


@pytest.mark.parametrize(("current", "wanted"), ALL_PAIRS)
def test_status_changes_follow_the_transitions_table(world, current, wanted):
    proposal = ProposalFactory(initiator=world.ravensburg, status=current)
    if wanted in STATUS_TRANSITIONS[current]:
        changed = services.proposal_set_status(actor=world.editor, proposal=proposal, status=wanted)
        assert changed.status == wanted
        assert (changed.closed_at is not None) == (wanted == ProposalStatus.CLOSED)
    else:
        with pytest.raises(ValidationError):
            services.proposal_set_status(actor=world.editor, proposal=proposal, status=wanted)
        proposal.refresh_from_db()
        assert proposal.status == current


def test_a_refused_transition_says_which_are_possible(world):
    proposal = ProposalFactory(initiator=world.ravensburg, status=ProposalStatus.OPEN)
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_set_status(
            actor=world.editor, proposal=proposal, status=ProposalStatus.ACTIVE
        )
    message = excinfo.value.messages[0]
    assert "„in Gründung“" in message and "„abgeschlossen“" in message


def test_a_closed_proposal_keeps_its_status(world):
    proposal = ProposalFactory(initiator=world.ravensburg, status=ProposalStatus.CLOSED)
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.proposal_set_status(
            actor=world.editor, proposal=proposal, status=ProposalStatus.OPEN
        )


def test_unknown_statuses_are_refused(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    with pytest.raises(ValidationError, match="gibt es nicht"):
        services.proposal_set_status(actor=world.editor, proposal=proposal, status="geheim")


def test_only_the_initiators_editors_and_the_team_change_the_status(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    for actor in (world.member, world.konstanz_editor):
        with pytest.raises(PermissionDenied):
            services.proposal_set_status(
                actor=actor, proposal=proposal, status=ProposalStatus.FORMING
            )
    services.proposal_set_status(actor=world.team, proposal=proposal, status="in_gruendung")


def test_a_status_change_by_the_team_names_the_team(outbox):
    world = _world()
    proposal = ProposalFactory(initiator=world.ravensburg, title="eAkte")
    services.proposal_set_status(actor=world.team, proposal=proposal, status="in_gruendung")
    told = Notification.objects.get(user=world.editor, kind=NotificationKind.COOPERATION_STATUS)
    assert told.text.startswith("Das Team der Initiative K hat die Kooperation „eAkte“")
    body = next(mail.body for mail in outbox if world.editor.email in mail.to)
    assert "Das Team der Initiative K hat den Status der Kooperation „eAkte“ geändert" in body
    assert "Ravensburg hat den Status" not in body


def test_a_status_change_by_the_initiator_names_the_initiator(outbox):
    world = _world()
    proposal = ProposalFactory(initiator=world.ravensburg, title="eAkte")
    services.proposal_set_status(actor=world.editor, proposal=proposal, status="in_gruendung")
    body = next(mail.body for mail in outbox if world.member.email in mail.to)
    assert "Ravensburg hat den Status der Kooperation „eAkte“ geändert" in body


def test_a_status_change_tells_everyone_of_the_member_organizations(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    services.proposal_set_status(actor=world.editor, proposal=proposal, status="in_gruendung")
    told = set(
        Notification.objects.filter(kind=NotificationKind.COOPERATION_STATUS).values_list(
            "user", flat=True
        )
    )
    assert told == {world.member.pk, world.konstanz_editor.pk}


# Leaving


def test_a_member_organization_leaves(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    services.proposal_leave(
        actor=world.konstanz_editor, proposal=proposal, organization=world.konstanz
    )
    assert not proposal.members.filter(organization=world.konstanz).exists()
    assert Notification.objects.filter(user=world.editor).exists()


def test_the_initiator_cannot_leave_but_can_close(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    with pytest.raises(ValidationError, match="schließen Sie den Vorschlag ab"):
        services.proposal_leave(
            actor=world.editor, proposal=proposal, organization=world.ravensburg
        )
    assert CooperationMember.objects.filter(proposal=proposal).count() == 1


def test_nobody_takes_another_organization_out(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    with pytest.raises(PermissionDenied):
        services.proposal_leave(actor=world.editor, proposal=proposal, organization=world.konstanz)


def test_leaving_a_cooperation_one_is_not_part_of_is_a_clear_error(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    with pytest.raises(ValidationError, match="nicht beteiligt"):
        services.proposal_leave(
            actor=world.konstanz_editor, proposal=proposal, organization=world.konstanz
        )


def test_nobody_leaves_a_closed_cooperation(world):
    proposal = ProposalFactory(
        initiator=world.ravensburg, members=[world.konstanz], status=ProposalStatus.CLOSED
    )
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.proposal_leave(
            actor=world.konstanz_editor, proposal=proposal, organization=world.konstanz
        )
    assert proposal.members.filter(organization=world.konstanz).exists()
