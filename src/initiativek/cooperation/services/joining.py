"""Requests to join a cooperation: ask, decide, withdraw – and the requests a closing
cooperation leaves behind."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log, rate_limit_exceeded

from .. import permissions, selectors
from ..constants import JOINABLE_STATUSES, JoinStatus, MemberRole, ProposalStatus
from ..models import CooperationMember, CooperationProposal, JoinRequest
from ._common import (
    acting_party,
    check_exchange_organization,
    others,
    people_of,
    takes_part_in_exchange,
)

# Requests per person across all proposals (as posts are limited): enough to look for
# partners, not enough to spam every initiator.
JOIN_REQUEST_LIMIT = 10
JOIN_REQUEST_PERIOD_SECONDS = 60 * 60


def _already_pending(organization: Any) -> ValidationError:
    return ValidationError(
        _(
            "%(organization)s hat bereits eine offene Beitrittsanfrage zu diesem Vorschlag. "
            "Warten Sie die Entscheidung ab oder ziehen Sie die Anfrage zurück."
        )
        % {"organization": organization.name}
    )


def _check_may_request(actor: Any, proposal: CooperationProposal, organization: Any) -> None:
    if proposal.status not in JOINABLE_STATUSES:
        raise ValidationError(
            _("Dieser Vorschlag nimmt keine Beitrittsanfragen mehr an (Status „%(status)s“).")
            % {"status": proposal.get_status_display()}
        )
    if not permissions.speaks_for(actor, organization):
        raise PermissionDenied(
            _(
                "Beitrittsanfragen stellen Redaktion und Administration einer "
                "Mitgliedsorganisation für ihre eigene Organisation."
            )
        )
    check_exchange_organization(organization, field="organization")
    if proposal.members.filter(organization=organization).exists():
        raise ValidationError(
            _("%(organization)s ist an dieser Kooperation bereits beteiligt.")
            % {"organization": organization.name}
        )
    if proposal.join_requests.filter(organization=organization, status=JoinStatus.PENDING).exists():
        raise _already_pending(organization)
    _check_decline_wait(proposal, organization)


def _check_decline_wait(proposal: CooperationProposal, organization: Any) -> None:
    next_possible = selectors.join_request_next_possible(
        proposal=proposal, organization=organization
    )
    if next_possible is not None:
        raise ValidationError(
            _(
                "%(initiator)s hat die Anfrage von %(organization)s abgelehnt. Eine neue "
                "Anfrage ist ab dem %(date)s möglich."
            )
            % {
                "initiator": proposal.initiator.name,
                "organization": organization.name,
                "date": date_format(timezone.localtime(next_possible), "DATE_FORMAT"),
            }
        )


def _check_rate(actor: Any) -> None:
    if rate_limit_exceeded(
        key=f"cooperation-join-request:{actor.pk}",
        limit=JOIN_REQUEST_LIMIT,
        period_seconds=JOIN_REQUEST_PERIOD_SECONDS,
    ):
        raise ValidationError(
            _(
                "Sie haben in kurzer Zeit sehr viele Beitrittsanfragen gestellt. Bitte warten "
                "Sie eine Stunde."
            )
        )


@transaction.atomic
def join_request_create(
    *, actor: Any, proposal: CooperationProposal, organization: Any, message: str
) -> JoinRequest:
    """``organization`` asks to take part in an open or forming cooperation; the initiator's
    editors and admins are told. One pending request per organization (also at the
    database, so two parallel clicks give one request and a clear message); after a decline
    a new request only after ``selectors.DECLINE_WAIT``; at most ``JOIN_REQUEST_LIMIT`` requests per
    person and hour."""
    proposal = CooperationProposal.objects.select_for_update().get(pk=proposal.pk)
    _check_may_request(actor, proposal, organization)
    _check_rate(actor)
    join_request = JoinRequest(
        proposal=proposal, organization=organization, requested_by=actor, message=message.strip()
    )
    join_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError as exc:
        raise _already_pending(organization) from exc
    audit_log(
        actor=actor,
        action="cooperation.join_request.created",
        obj=proposal,
        data={"organization": organization.name},
    )
    notify(
        users=others(people_of([proposal.initiator], editors_only=True), actor),
        kind=NotificationKind.JOIN_REQUEST,
        text=_("%(organization)s möchte sich an „%(title)s“ beteiligen.")
        % {"organization": organization.name, "title": proposal.title},
        url=f"{proposal.get_absolute_url()}#anfragen",
        mail_template="mail/cooperation_join_request",
        mail_context={"proposal": proposal, "join_request": join_request},
    )
    return join_request


def _check_decidable(
    join_request: JoinRequest, proposal: CooperationProposal, accept: bool
) -> None:
    if join_request.status != JoinStatus.PENDING:
        raise ValidationError(
            _("Über diese Anfrage ist bereits entschieden (Status „%(status)s“).")
            % {"status": join_request.get_status_display()}
        )
    if not accept:
        return
    if proposal.status == ProposalStatus.CLOSED:
        raise ValidationError(_("Der Vorschlag ist abgeschlossen; es kann niemand mehr beitreten."))
    organization = join_request.organization
    if not takes_part_in_exchange(organization):
        raise ValidationError(
            _(
                "%(organization)s ist keine Mitgliedsorganisation der Initiative mehr und kann "
                "deshalb nicht beitreten. Lehnen Sie die Anfrage ab."
            )
            % {"organization": organization.name}
        )


@transaction.atomic
def join_request_decide(
    *, actor: Any, join_request: JoinRequest, accept: bool, note: str = ""
) -> JoinRequest:
    """The initiator's editors (or the team) accept or decline a pending request; accepting
    makes the organization a member – only if it still takes part in the exchange (checked
    again now: it may have lost its membership since asking). The status of the proposal
    stays the initiator's choice. The requesting organization's editors and admins are told
    who decided."""
    proposal = CooperationProposal.objects.select_for_update().get(pk=join_request.proposal_id)
    if not permissions.can_manage_proposal(actor, proposal):
        raise PermissionDenied(
            _("Über Beitrittsanfragen entscheiden Redaktion und Administration von %(org)s.")
            % {"org": proposal.initiator.name}
        )
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _check_decidable(join_request, proposal, accept)
    join_request.status = JoinStatus.ACCEPTED if accept else JoinStatus.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.decision_note = note.strip()
    join_request.full_clean(validate_constraints=False)
    join_request.save()
    organization = join_request.organization
    if accept:
        CooperationMember.objects.get_or_create(
            proposal=proposal, organization=organization, defaults={"role": MemberRole.MEMBER}
        )
    audit_log(
        actor=actor,
        action=f"cooperation.join_request.{'accepted' if accept else 'declined'}",
        obj=proposal,
        data={"organization": organization.name},
    )
    _notify_decision(actor=actor, proposal=proposal, join_request=join_request)
    return join_request


def _notify_decision(
    *, actor: Any, proposal: CooperationProposal, join_request: JoinRequest, closed: bool = False
) -> None:
    """Tell the requesting organization's editors and admins how their request ended, naming
    who decided (the initiator or the team) – or that the cooperation was closed."""
    accepted = join_request.status == JoinStatus.ACCEPTED
    decider = capfirst(acting_party(actor, proposal.initiator))
    if closed:
        text = _(
            "Die Kooperation „%(title)s“ wurde abgeschlossen; Ihre Anfrage ist damit erledigt."
        )
    elif accepted:
        text = _("%(decider)s hat Ihre Anfrage zu „%(title)s“ angenommen.")
    else:
        text = _("%(decider)s hat Ihre Anfrage zu „%(title)s“ abgelehnt.")
    notify(
        users=others(people_of([join_request.organization], editors_only=True), actor),
        kind=NotificationKind.JOIN_DECISION,
        text=text % {"decider": decider, "title": proposal.title},
        url=proposal.get_absolute_url(),
        mail_template="mail/cooperation_join_decision",
        mail_context={
            "proposal": proposal,
            "join_request": join_request,
            "accepted": accepted,
            "closed": closed,
            "decider": decider,
        },
    )


def join_requests_decline_on_close(*, actor: Any, proposal: CooperationProposal) -> int:
    """Decline every pending request of a proposal that is being closed (the caller holds
    the proposal's lock and has checked ``actor``), with the note „Die Kooperation wurde
    abgeschlossen.“, and tell the requesters. Returns how many were declined."""
    pending = list(
        proposal.join_requests.select_for_update()
        .filter(status=JoinStatus.PENDING)
        .select_related("organization")
    )
    now = timezone.now()
    for join_request in pending:
        join_request.status = JoinStatus.DECLINED
        join_request.decided_by = actor
        join_request.decided_at = now
        join_request.decision_note = _("Die Kooperation wurde abgeschlossen.")
        join_request.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
        )
        audit_log(
            actor=actor,
            action="cooperation.join_request.declined_on_close",
            obj=proposal,
            data={"organization": join_request.organization.name},
        )
        _notify_decision(actor=actor, proposal=proposal, join_request=join_request, closed=True)
    return len(pending)


@transaction.atomic
def join_request_withdraw(*, actor: Any, join_request: JoinRequest) -> JoinRequest:
    """The requesting organization's editors withdraw a pending request."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not permissions.speaks_for(actor, join_request.organization):
        raise PermissionDenied(
            _(
                "Nur Redaktion und Administration von %(organization)s können die Anfrage "
                "zurückziehen."
            )
            % {"organization": join_request.organization.name}
        )
    if join_request.status != JoinStatus.PENDING:
        raise ValidationError(
            _("Diese Anfrage ist nicht mehr offen (Status „%(status)s“).")
            % {"status": join_request.get_status_display()}
        )
    join_request.status = JoinStatus.WITHDRAWN
    join_request.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="cooperation.join_request.withdrawn",
        obj=join_request.proposal,
        data={"organization": join_request.organization.name},
    )
    return join_request
