"""Reads for the host tools: the participant list and its counts (hosts and team only).

Callers check ``permissions.can_see_participants`` first; these functions do not.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .constants import AttendanceMode, RegistrationStatus
from .models import Event, Registration


@dataclass(frozen=True)
class ParticipantFilters:
    """Validated GET filters of the participant list; empty strings mean "all"."""

    status: str = ""
    mode: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "ParticipantFilters":
        status = query.get("status", "")
        mode = query.get("mode", "")
        return cls(
            status=status if status in RegistrationStatus.values else "",
            mode=mode if mode in AttendanceMode.values else "",
        )


def _waitlist_position() -> Coalesce:
    ahead = (
        Registration.objects.filter(
            event=OuterRef("event"),
            mode=OuterRef("mode"),
            status=RegistrationStatus.WAITLISTED,
            queued_at__lt=OuterRef("queued_at"),
        )
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))


def registration_list_for_host(
    *, event: Event, filters: ParticipantFilters | None = None
) -> QuerySet[Registration]:
    """Registrations of ``event`` in order of registration, with the organization and – for
    waitlisted ones – ``waitlist_ahead`` (people before them in the same mode): one query."""
    registrations = (
        event.registrations.select_related("organization")
        .annotate(waitlist_ahead=_waitlist_position())
        .order_by("created_at", "pk")
    )
    if filters and filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters and filters.mode:
        registrations = registrations.filter(mode=filters.mode)
    return registrations


def registration_waitlist_rank(registration: Registration) -> int | None:
    """Position on the waiting list from the ``waitlist_ahead`` annotation (no query)."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return registration.waitlist_ahead + 1


@dataclass(frozen=True)
class ModeCounts:
    mode: str
    label: str
    confirmed: int
    waitlisted: int
    offered: int
    pending: int
    attended: int


def event_participant_counts(*, event: Event) -> list[ModeCounts]:
    """Per attendance mode that has registrations or is offered: counts by status and of
    those marked attended (one query)."""
    rows = (
        event.registrations.order_by()
        .values("mode")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
            offered=Count("pk", filter=Q(status=RegistrationStatus.OFFERED)),
            pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
            attended=Count(
                "pk",
                filter=Q(status=RegistrationStatus.CONFIRMED, attended_at__isnull=False),
            ),
        )
    )
    by_mode = {row["mode"]: row for row in rows}
    labels = dict(AttendanceMode.choices)
    modes = [mode for mode in AttendanceMode.values if mode in event.modes or mode in by_mode]
    empty = {"confirmed": 0, "waitlisted": 0, "offered": 0, "pending": 0, "attended": 0}
    return [
        ModeCounts(
            mode=mode,
            label=labels[mode],
            **{key: by_mode.get(mode, empty)[key] for key in empty},
        )
        for mode in modes
    ]


def registration_count_confirmed(*, event: Event) -> int:
    """How many would receive a message to all confirmed participants."""
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
