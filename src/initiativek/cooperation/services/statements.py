"""From closing statements of events to proposals, and the follow-up on those that didn't
become one."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log
from initiativek.events.models import ClosingStatement
from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors
from ..models import CooperationProposal, StatementFollowUp
from ._common import check_exchange_organization, people_of
from .proposals import create_proposal_unchecked


@transaction.atomic
def proposal_from_statement(
    *,
    actor: Any,
    statement: ClosingStatement,
    title: str,
    summary: str,
    description: str,
    member_organizations: Iterable[Any],
    topics: Iterable[Any] = (),
    wanted_kinds: Iterable[str] = (),
    wanted_regions: Iterable[Any] = (),
    projects: Iterable[Any] = (),
) -> CooperationProposal:
    """Turn a closing statement into a proposal in one step: the statement's organization
    initiates it, ``member_organizations`` are its first further members – only
    organizations the statement names or that made closing statements at the same event
    (``selectors.statement_member_candidates``); anyone else joins by request. Allowed for
    the event's hosts, the team and the editors of the statement's organization; one
    proposal per statement. The first members' editors are told."""
    statement = (
        ClosingStatement.objects.select_for_update()
        .select_related("event", "organization")
        .get(pk=statement.pk)
    )
    if not permissions.can_propose_from_statement(actor, statement):
        raise PermissionDenied(
            _(
                "Statements übernehmen die Gastgeber der Veranstaltung, die Redaktion von "
                "%(organization)s und das Team der Initiative."
            )
            % {"organization": statement.organization.name}
        )
    member_organizations = list(member_organizations)
    _check_first_members(statement, member_organizations)
    fields = {
        "title": title,
        "summary": summary,
        "description": description,
        "topics": list(topics),
        "wanted_kinds": list(wanted_kinds),
        "wanted_regions": list(wanted_regions),
        "projects": list(projects),
    }
    proposal = create_proposal_unchecked(
        actor=actor,
        initiator=statement.organization,
        fields=fields,
        member_organizations=member_organizations,
        source_statement=statement,
    )
    audit_log(
        actor=actor,
        action="cooperation.proposal.created_from_statement",
        obj=proposal,
        data={"statement": statement.pk, "event": statement.event.title},
    )
    return proposal


def _check_first_members(statement: ClosingStatement, organizations: list[Any]) -> None:
    candidates = set(
        selectors.statement_member_candidates(statement=statement).values_list("pk", flat=True)
    )
    for organization in organizations:
        if organization.pk == statement.organization_id:
            continue
        check_exchange_organization(organization, field="member_organizations")
        if organization.pk not in candidates:
            raise ValidationError(
                {
                    "member_organizations": _(
                        "%(organization)s wird im Statement nicht genannt und hat bei der "
                        "Veranstaltung kein Abschluss-Statement abgegeben. Sie kann ihre "
                        "Beteiligung anfragen, sobald der Vorschlag veröffentlicht ist."
                    )
                    % {"organization": organization.name}
                }
            )


@transaction.atomic
def statement_followup_remind(*, statement: ClosingStatement, actor: Any = None) -> int:
    """Remind the editors and admins of the statement's organization to turn it into a
    proposal, and record when (again, if the team reminds once more). ``actor`` None is the
    scheduled command; a person must be the team. Returns how many people were told."""
    if actor is not None and not org_permissions.is_team(actor):
        raise PermissionDenied(_("An Statements erinnert das Team der Initiative."))
    statement = (
        ClosingStatement.objects.select_for_update()
        .select_related("event", "organization")
        .get(pk=statement.pk)
    )
    if statement.proposals.exists():
        raise ValidationError(_("Aus diesem Statement ist bereits ein Vorschlag entstanden."))
    StatementFollowUp.objects.update_or_create(
        statement=statement,
        defaults={"reminded_at": timezone.now(), "reminded_by": actor},
    )
    audit_log(
        actor=actor,
        action="cooperation.statement.reminded",
        obj=statement.event,
        data={"statement": statement.pk, "organization": statement.organization.name},
    )
    url = reverse("cooperation:from-statement", kwargs={"pk": statement.pk})
    return notify(
        users=people_of([statement.organization], editors_only=True),
        kind=NotificationKind.STATEMENT_FOLLOWUP,
        text=_("Wird aus Ihrem Statement bei „%(event)s“ eine Kooperation?")
        % {"event": statement.event.title},
        url=url,
        mail_template="mail/cooperation_followup",
        mail_context={"statement": statement, "event": statement.event},
    )


def statement_followup_remind_due(*, now: datetime | None = None) -> int:
    """Remind every due statement once (see ``selectors.statement_list_due_for_reminder``);
    running it again reminds nobody twice. Returns the number of statements reminded."""
    reminded = 0
    for statement in selectors.statement_list_due_for_reminder(now=now):
        with transaction.atomic():
            # Another run may have reminded it in between.
            if StatementFollowUp.objects.filter(statement=statement).exists():
                continue
            statement_followup_remind(statement=statement)
            reminded += 1
    return reminded
