"""Reads for the team's progress overview: who of the audience has answered, who not yet, and
whom a reminder would reach.

Callers check ``permissions.can_manage_questionnaires`` first; these functions do not.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from initiativek.core.models import AuditEntry
from initiativek.core.text import search_text
from initiativek.organizations.constants import OrganizationKind, Role
from initiativek.organizations.models import Membership, Organization

from .constants import ProgressState, ResponseStatus
from .models import Questionnaire, Response

PAGE_SIZE = 50
ANSWERING_ROLES = (Role.ADMIN, Role.EDITOR)
REMINDED_ACTION = "surveys.questionnaire.reminded"
REMINDER_PAUSE = timedelta(hours=24)


@dataclass(frozen=True)
class ProgressFilters:
    """Validated GET filters of the overview; unknown states are ignored."""

    status: str = ""
    query: str = ""

    @classmethod
    def from_query(cls, params: Any) -> "ProgressFilters":
        status = params.get("status", "")
        return cls(
            status=status if status in ProgressState.values else "",
            query=" ".join(str(params.get("q", "")).split())[:100],
        )

    @property
    def is_active(self) -> bool:
        return bool(self.status or self.query)


def _answerers() -> QuerySet[Membership]:
    return Membership.objects.filter(role__in=ANSWERING_ROLES, user__is_active=True)


def progress_audience(*, questionnaire: Questionnaire) -> QuerySet[Organization]:
    """The audience as a queryset – the rule of ``permissions.is_in_audience`` – annotated
    with ``progress_state`` (a ProgressState) and ``has_answerers`` (an active admin or editor
    who can fill in the response)."""
    organizations = Organization.objects.filter(is_member=True).exclude(
        kind=OrganizationKind.PARTNER
    )
    if questionnaire.audience_kinds:
        organizations = organizations.filter(kind__in=questionnaire.audience_kinds)
    status = Response.objects.filter(
        questionnaire=questionnaire, organization=OuterRef("pk")
    ).values("status")[:1]
    return organizations.annotate(
        response_status=Subquery(status),
        progress_state=Case(
            When(response_status=ResponseStatus.SUBMITTED, then=Value(ProgressState.SUBMITTED)),
            When(response_status=ResponseStatus.DRAFT, then=Value(ProgressState.DRAFT)),
            default=Value(ProgressState.NOT_STARTED),
            output_field=CharField(),
        ),
        has_answerers=Exists(_answerers().filter(organization=OuterRef("pk"))),
    )


def progress_list(
    *, questionnaire: Questionnaire, filters: ProgressFilters | None = None
) -> QuerySet[Organization]:
    """The audience by name, filtered, each with ``progress_responses`` (its response, with
    who changed and who submitted it, or nothing): two queries however many organizations."""
    responses = Response.objects.filter(questionnaire=questionnaire).select_related(
        "updated_by", "submitted_by"
    )
    organizations = (
        progress_audience(questionnaire=questionnaire)
        .prefetch_related(
            Prefetch("survey_responses", queryset=responses, to_attr="progress_responses")
        )
        .order_by("name", "pk")
    )
    if filters and filters.status:
        organizations = organizations.filter(progress_state=filters.status)
    if filters and filters.query:
        organizations = organizations.filter(search_name__contains=search_text(filters.query))
    return organizations


@dataclass(frozen=True)
class ProgressRow:
    organization: Organization
    state: str
    response: Response | None
    has_answerers: bool

    @property
    def state_label(self) -> str:
        return ProgressState(self.state).label

    @property
    def can_be_reminded(self) -> bool:
        return self.state != ProgressState.SUBMITTED and self.has_answerers


def progress_rows(organizations: Iterable[Organization]) -> list[ProgressRow]:
    """Rows for the table from organizations of ``progress_list`` (no further query)."""
    return [
        ProgressRow(
            organization=organization,
            state=organization.progress_state,
            response=next(iter(organization.progress_responses), None),
            has_answerers=organization.has_answerers,
        )
        for organization in organizations
    ]


@dataclass(frozen=True)
class ProgressTotals:
    total: int
    not_started: int
    draft: int
    submitted: int
    unreachable: int  # not submitted and nobody who could answer

    @property
    def submitted_percent(self) -> int:
        """The submitted share in whole percent (rounded down, so 100 means all)."""
        if not self.total:
            return 0
        return self.submitted * 100 // self.total

    @property
    def pending(self) -> int:
        return self.not_started + self.draft


def progress_totals(*, questionnaire: Questionnaire) -> ProgressTotals:
    """Counts per state for the whole audience, whatever the filters: one query."""
    counts = progress_audience(questionnaire=questionnaire).aggregate(
        total=Count("pk"),
        not_started=Count("pk", filter=Q(progress_state=ProgressState.NOT_STARTED)),
        draft=Count("pk", filter=Q(progress_state=ProgressState.DRAFT)),
        submitted=Count("pk", filter=Q(progress_state=ProgressState.SUBMITTED)),
        unreachable=Count(
            "pk", filter=~Q(progress_state=ProgressState.SUBMITTED) & Q(has_answerers=False)
        ),
    )
    return ProgressTotals(**counts)


def progress_last_reminder(*, questionnaire: Questionnaire) -> AuditEntry | None:
    """The audit entry of the latest reminder (when, by whom, how many), if any."""
    return (
        AuditEntry.objects.filter(
            action=REMINDED_ACTION,
            content_type=ContentType.objects.get_for_model(Questionnaire),
            object_id=str(questionnaire.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def reminder_is_recent(*, questionnaire: Questionnaire, now: datetime | None = None) -> bool:
    """A reminder went out less than ``REMINDER_PAUSE`` ago: the team is warned before
    sending another one (it remains possible)."""
    sent = questionnaire.last_reminder_at
    if sent is None:
        return False
    return (now or timezone.now()) - sent < REMINDER_PAUSE


@dataclass
class ReminderPlan:
    """Who a reminder would reach. ``recipients`` maps each person (once, however many
    organizations they answer for) to the rows of their organizations; ``refused_ids`` are
    chosen ids that are not organizations of the audience still to submit."""

    rows: list[ProgressRow] = field(default_factory=list)
    recipients: dict[Any, list[ProgressRow]] = field(default_factory=dict)
    refused_ids: list[int] = field(default_factory=list)

    @property
    def reachable_rows(self) -> list[ProgressRow]:
        return [row for row in self.rows if row.has_answerers]

    @property
    def unreachable_rows(self) -> list[ProgressRow]:
        return [row for row in self.rows if not row.has_answerers]


def reminder_plan(
    *, questionnaire: Questionnaire, organization_ids: list[int] | None = None
) -> ReminderPlan:
    """Organizations of the audience that have not submitted (all, or those of
    ``organization_ids``) and their active admins and editors: three queries."""
    pending = progress_list(questionnaire=questionnaire).exclude(
        progress_state=ProgressState.SUBMITTED
    )
    if organization_ids is not None:
        pending = pending.filter(pk__in=organization_ids)
    plan = ReminderPlan(rows=progress_rows(pending))
    if organization_ids is not None:
        found = {row.organization.pk for row in plan.rows}
        plan.refused_ids = sorted(set(organization_ids) - found)
    rows_by_pk = {row.organization.pk: row for row in plan.rows}
    memberships = (
        _answerers()
        .filter(organization__in=list(rows_by_pk))
        .select_related("user")
        .order_by("user__name", "user__email", "organization__name")
    )
    for membership in memberships:
        rows = plan.recipients.setdefault(membership.user, [])
        rows.append(rows_by_pk[membership.organization_id])
    return plan
