"""Requests to join: ask, decide, withdraw – and the clear refusals around them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from initiativek.cooperation import services
from initiativek.cooperation.constants import JoinStatus, MemberRole, ProposalStatus
from initiativek.cooperation.models import JoinRequest
from initiativek.cooperation.services import joining
from initiativek.core.constants import NotificationKind
from initiativek.core.models import AuditEntry, Notification, NotificationPreference
from initiativek.organizations.constants import OrganizationKind
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import JoinRequestFactory, ProposalFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _world():
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz")
    return SimpleNamespace(
        ravensburg=ravensburg,
        konstanz=konstanz,
        proposal=ProposalFactory(initiator=ravensburg, title="Gemeinsame eAkte"),
        editor=MembershipFactory(organization=ravensburg, admin=True).user,
        member=MembershipFactory(organization=ravensburg).user,
        konstanz_editor=MembershipFactory(organization=konstanz, editor=True).user,
        konstanz_member=MembershipFactory(organization=konstanz).user,
        team=UserFactory(is_staff=True),
    )


@pytest.fixture
def world(db):
    return _world()


def _ask(world, **overrides):
    kwargs = {
        "actor": world.konstanz_editor,
        "proposal": world.proposal,
        "organization": world.konstanz,
        "message": "Wir machen gern mit.",
    }
    kwargs.update(overrides)
    return services.join_request_create(**kwargs)


def test_an_editor_asks_to_join_and_the_initiators_editors_are_told(world):
    join_request = _ask(world)
    assert join_request.status == JoinStatus.PENDING
    assert join_request.requested_by == world.konstanz_editor
    told = Notification.objects.filter(kind=NotificationKind.JOIN_REQUEST)
    assert list(told.values_list("user", flat=True)) == [world.editor.pk]
    assert told.get().url.endswith("#anfragen")
    assert AuditEntry.objects.filter(action="cooperation.join_request.created").exists()


def test_the_join_request_mail_goes_to_the_initiators_editors(outbox):
    world = _world()
    _ask(world, message="Wir bringen eine Markterkundung mit.")
    assert [mail.to for mail in outbox] == [[world.editor.email]]
    assert "Konstanz möchte sich an „Gemeinsame eAkte“ beteiligen" in outbox[0].subject
    assert "Wir bringen eine Markterkundung mit." in outbox[0].body


def test_joining_twice_is_a_clear_error(world):
    _ask(world)
    with pytest.raises(ValidationError, match="bereits eine offene Beitrittsanfrage"):
        _ask(world)
    assert JoinRequest.objects.count() == 1


def test_the_database_holds_one_pending_request_per_organization(world):
    _ask(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequestFactory(proposal=world.proposal, organization=world.konstanz)


def test_a_member_organization_cannot_ask_to_join(world):
    with pytest.raises(ValidationError, match="bereits beteiligt"):
        _ask(world, actor=world.editor, organization=world.ravensburg)


def test_only_editors_ask_and_only_for_their_own_organization(world):
    with pytest.raises(PermissionDenied):
        _ask(world, actor=world.konstanz_member)
    with pytest.raises(PermissionDenied):
        _ask(world, actor=world.editor)  # Ravensburg's editor for Konstanz
    with pytest.raises(PermissionDenied):
        _ask(world, actor=world.team)  # the team does not speak for an organization
    assert not JoinRequest.objects.exists()


def test_partner_companies_cannot_ask_to_join(world):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    editor = MembershipFactory(organization=partner, editor=True).user
    with pytest.raises(PermissionDenied):
        _ask(world, actor=editor, organization=partner)


@pytest.mark.parametrize("status", [ProposalStatus.ACTIVE, ProposalStatus.CLOSED])
def test_requests_only_while_open_or_forming(world, status):
    world.proposal.status = status
    world.proposal.save()
    with pytest.raises(ValidationError, match="keine Beitrittsanfragen mehr"):
        _ask(world)


def _declined(world, *, days_ago: int, **kwargs):
    return JoinRequestFactory(
        proposal=world.proposal,
        organization=world.konstanz,
        status=JoinStatus.DECLINED,
        decided_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def test_asking_again_thirty_days_after_a_decline_is_possible(world):
    _declined(world, days_ago=31)
    assert _ask(world).status == JoinStatus.PENDING


def test_asking_again_within_thirty_days_of_a_decline_is_refused_with_the_date(world):
    _declined(world, days_ago=5)
    with pytest.raises(ValidationError) as excinfo:
        _ask(world)
    message = excinfo.value.messages[0]
    assert "Ravensburg hat die Anfrage von Konstanz abgelehnt" in message
    assert "ab dem" in message and str((timezone.localdate() + timedelta(days=25)).year) in message
    assert not JoinRequest.objects.filter(status=JoinStatus.PENDING).exists()
    assert not Notification.objects.filter(kind=NotificationKind.JOIN_REQUEST).exists()


def test_the_latest_decline_counts(world):
    _declined(world, days_ago=90)
    _declined(world, days_ago=3)
    with pytest.raises(ValidationError, match="abgelehnt"):
        _ask(world)


def test_a_flood_of_join_requests_by_one_person_is_stopped(world):
    for _ in range(joining.JOIN_REQUEST_LIMIT):
        _ask(world, proposal=ProposalFactory(initiator=world.ravensburg))
    with pytest.raises(ValidationError, match="sehr viele Beitrittsanfragen"):
        _ask(world, proposal=ProposalFactory(initiator=world.ravensburg))
    assert JoinRequest.objects.count() == joining.JOIN_REQUEST_LIMIT


def test_a_plain_member_of_the_initiator_who_edits_elsewhere_is_not_told(world):
    """Organization and role must hold for the same membership."""
    MembershipFactory(user=world.member, organization=OrganizationFactory(), editor=True)
    _ask(world)
    told = Notification.objects.filter(kind=NotificationKind.JOIN_REQUEST)
    assert list(told.values_list("user", flat=True)) == [world.editor.pk]


def test_a_plain_member_of_the_requester_who_edits_elsewhere_gets_no_decision(world):
    konstanz_member = world.konstanz_member
    MembershipFactory(user=konstanz_member, organization=OrganizationFactory(), editor=True)
    services.join_request_decide(actor=world.editor, join_request=_ask(world), accept=False)
    told = Notification.objects.filter(kind=NotificationKind.JOIN_DECISION)
    assert list(told.values_list("user", flat=True)) == [world.konstanz_editor.pk]


def test_the_initiator_accepts_and_the_organization_becomes_a_member(world):
    join_request = _ask(world)
    decided = services.join_request_decide(
        actor=world.editor, join_request=join_request, accept=True, note="Willkommen!"
    )
    assert decided.status == JoinStatus.ACCEPTED
    assert (decided.decided_by, decided.decision_note) == (world.editor, "Willkommen!")
    member = world.proposal.members.get(organization=world.konstanz)
    assert member.role == MemberRole.MEMBER
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.OPEN  # the status stays the initiator's choice
    told = Notification.objects.filter(kind=NotificationKind.JOIN_DECISION)
    assert list(told.values_list("user", flat=True)) == [world.konstanz_editor.pk]


def test_a_decline_tells_the_requesting_organization_by_mail(outbox):
    world = _world()
    join_request = _ask(world)
    outbox.clear()
    services.join_request_decide(
        actor=world.editor, join_request=join_request, accept=False, note="Passt leider nicht."
    )
    assert not world.proposal.members.filter(organization=world.konstanz).exists()
    assert [mail.to for mail in outbox] == [[world.konstanz_editor.email]]
    assert "abgelehnt" in outbox[0].subject
    assert "Passt leider nicht." in outbox[0].body


def test_deciding_a_decided_request_is_a_clear_error(world):
    join_request = _ask(world)
    services.join_request_decide(actor=world.editor, join_request=join_request, accept=False)
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.join_request_decide(actor=world.editor, join_request=join_request, accept=True)
    assert not world.proposal.members.filter(organization=world.konstanz).exists()


def test_acting_on_someone_elses_proposal_is_refused(world):
    join_request = _ask(world)
    stranger = MembershipFactory(organization=OrganizationFactory(), editor=True).user
    for actor in (world.konstanz_editor, world.member, stranger):
        with pytest.raises(PermissionDenied):
            services.join_request_decide(actor=actor, join_request=join_request, accept=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinStatus.PENDING


def test_the_team_decides_too(world):
    join_request = _ask(world)
    services.join_request_decide(actor=world.team, join_request=join_request, accept=True)
    assert world.proposal.members.filter(organization=world.konstanz).exists()


def test_nobody_joins_a_closed_proposal(world):
    join_request = _ask(world)
    # Closing declines pending requests; one left over (e.g. from before that rule) can't
    # be accepted any more, only declined.
    world.proposal.status = ProposalStatus.CLOSED
    world.proposal.save()
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.join_request_decide(actor=world.editor, join_request=join_request, accept=True)
    services.join_request_decide(actor=world.editor, join_request=join_request, accept=False)


def test_the_requesting_editors_withdraw_a_pending_request(world):
    join_request = _ask(world)
    services.join_request_withdraw(actor=world.konstanz_editor, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == JoinStatus.WITHDRAWN
    assert _ask(world).status == JoinStatus.PENDING  # and may ask again later


def test_others_cannot_withdraw_and_decided_requests_stay(world):
    join_request = _ask(world)
    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(actor=world.editor, join_request=join_request)
    services.join_request_decide(actor=world.editor, join_request=join_request, accept=True)
    with pytest.raises(ValidationError, match="nicht mehr offen"):
        services.join_request_withdraw(actor=world.konstanz_editor, join_request=join_request)


def test_an_email_opt_out_keeps_the_notification_but_not_the_mail(outbox):
    world = _world()
    NotificationPreference.objects.create(
        user=world.editor, kind=NotificationKind.JOIN_REQUEST, email=False
    )
    _ask(world)
    assert Notification.objects.filter(user=world.editor, kind="kooperation_anfrage").exists()
    assert outbox == []


def test_a_parallel_second_request_gets_the_clear_message_not_a_server_error(world, monkeypatch):
    """Two clicks at once both pass the check; the database constraint stops the second."""
    from initiativek.cooperation.services import joining

    _ask(world)
    monkeypatch.setattr(joining, "_check_may_request", lambda *args: None)
    with pytest.raises(ValidationError, match="bereits eine offene Beitrittsanfrage"):
        _ask(world)
    assert JoinRequest.objects.count() == 1


@pytest.mark.parametrize(
    "change", [{"is_member": False}, {"kind": OrganizationKind.PARTNER}], ids=["left", "partner"]
)
def test_accepting_rechecks_that_the_organization_still_takes_part(world, change):
    join_request = _ask(world)
    for field, value in change.items():
        setattr(world.konstanz, field, value)
    world.konstanz.save()
    with pytest.raises(ValidationError, match="keine Mitgliedsorganisation der Initiative mehr"):
        services.join_request_decide(actor=world.editor, join_request=join_request, accept=True)
    assert not world.proposal.members.filter(organization=world.konstanz).exists()
    declined = services.join_request_decide(
        actor=world.editor, join_request=join_request, accept=False
    )
    assert declined.status == JoinStatus.DECLINED


def test_a_decision_by_the_team_names_the_team(outbox):
    world = _world()
    join_request = _ask(world)
    outbox.clear()
    services.join_request_decide(actor=world.team, join_request=join_request, accept=True)
    told = Notification.objects.get(kind=NotificationKind.JOIN_DECISION)
    assert told.text.startswith("Das Team der Initiative K hat Ihre Anfrage")
    assert "Das Team der Initiative K hat die Anfrage von Konstanz angenommen" in outbox[0].body


def test_a_decision_by_the_initiator_names_the_initiator(world):
    services.join_request_decide(actor=world.editor, join_request=_ask(world), accept=True)
    told = Notification.objects.get(kind=NotificationKind.JOIN_DECISION)
    assert told.text.startswith("Ravensburg hat Ihre Anfrage")


def test_closing_declines_pending_requests_and_tells_the_requesters(outbox):
    world = _world()
    pending = _ask(world)
    decided_org = OrganizationFactory(name="Herrenberg")
    accepted = JoinRequestFactory(
        proposal=world.proposal, organization=decided_org, status=JoinStatus.ACCEPTED
    )
    outbox.clear()
    services.proposal_set_status(
        actor=world.editor, proposal=world.proposal, status=ProposalStatus.CLOSED
    )
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.status == JoinStatus.DECLINED
    assert pending.decision_note == "Die Kooperation wurde abgeschlossen."
    assert (pending.decided_by, pending.decided_at is not None) == (world.editor, True)
    assert accepted.status == JoinStatus.ACCEPTED  # decided requests stay as they are
    decision_mails = [mail for mail in outbox if world.konstanz_editor.email in mail.to]
    assert len(decision_mails) == 1
    assert "abgeschlossen" in decision_mails[0].subject
    assert Notification.objects.filter(
        user=world.konstanz_editor, kind=NotificationKind.JOIN_DECISION
    ).exists()


def test_changing_to_another_status_keeps_pending_requests(world):
    pending = _ask(world)
    services.proposal_set_status(
        actor=world.editor, proposal=world.proposal, status=ProposalStatus.FORMING
    )
    pending.refresh_from_db()
    assert pending.status == JoinStatus.PENDING
