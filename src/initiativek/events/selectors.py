"""Reads of events: what may this person see."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from initiativek.core.models import Topic
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.models import Membership, Organization
from initiativek.projects import selectors as project_selectors

from .constants import SEAT_HOLDING, AttendanceMode, EventStatus
from .filters import EVENT_TIME_ZONE, EventFilters, FilterChoices, event_filter, month_range
from .models import ClosingStatement, Event, ProgramItem, ProgramPerson, Registration, Speaker


def event_list_published() -> QuerySet[Event]:
    """Published and cancelled events (cancelled ones stay visible, marked as such)."""
    return (
        Event.objects.exclude(status=EventStatus.DRAFT)
        .select_related("series")
        .prefetch_related("hosts")
    )


def event_list_visible_to(*, user: Any) -> QuerySet[Event]:
    """Published/cancelled events, plus drafts of the user's hosting organizations; the
    team sees all."""
    if org_permissions.is_team(user):
        return Event.objects.all()
    visible = ~Q(status=EventStatus.DRAFT)
    if user.is_authenticated:
        hosting = Event.hosts.through.objects.filter(
            event=OuterRef("pk"),
            organization__in=Membership.objects.filter(
                user=user, role__in=["admin", "editor"]
            ).values("organization"),
        )
        visible |= Q(Exists(hosting))
    return Event.objects.filter(visible)


def event_get_for_user(*, user: Any, slug: str) -> Event:
    try:
        return (
            event_list_visible_to(user=user)
            .select_related("series")
            .prefetch_related(
                "hosts",
                "partners",
                "topics",
                Prefetch(
                    "closing_statements",
                    queryset=ClosingStatement.objects.select_related("organization"),
                ),
            )
            .get(slug=slug)
        )
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def registration_for_user(*, event: Event, user: Any):
    """The signed-in person's active registration for ``event``, if any."""
    if not user.is_authenticated:
        return None
    from .constants import ACTIVE

    return (
        event.registrations.filter(status__in=ACTIVE)
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .first()
    )


def event_seats(*, event: Event) -> list[dict[str, Any]]:
    """Per offered mode: label, capacity and seats left (None = unlimited)."""
    from . import services
    from .constants import AttendanceMode

    labels = dict(AttendanceMode.choices)
    return [
        {
            "mode": mode,
            "label": labels[mode],
            "capacity": event.capacity_for(mode),
            "left": services.seats_left(event=event, mode=mode),
        }
        for mode in event.modes
    ]


def event_registration_open(*, event: Event) -> bool:
    from django.utils import timezone

    if event.status != EventStatus.PUBLISHED:
        return False
    now = timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    closes = event.registration_closes_at or event.ends_at or event.starts_at
    return not (closes and now > closes)


def registration_waitlist_position(*, registration) -> int | None:
    from .constants import RegistrationStatus

    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        registration.event.registrations.filter(
            mode=registration.mode,
            status=RegistrationStatus.WAITLISTED,
            queued_at__lt=registration.queued_at,
        ).count()
        + 1
    )


# The event list and the month calendar


def event_filter_choices(*, user: Any) -> FilterChoices:
    """Hosts, topics and months of the events ``user`` may see (three queries)."""
    visible = event_list_visible_to(user=user)
    hosts = (
        Organization.objects.filter(hosted_events__in=visible)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    topics = (
        Topic.objects.filter(event__in=visible)
        .distinct()
        .order_by("position", "name")
        .values_list("slug", "name")
    )
    months = visible.filter(starts_at__isnull=False).datetimes(
        "starts_at", "month", tzinfo=EVENT_TIME_ZONE
    )
    return FilterChoices(
        hosts=list(hosts), topics=list(topics), months=[month.date() for month in months]
    )


def _taken(mode: str) -> Coalesce:
    seats = (
        Registration.objects.filter(event=OuterRef("pk"), mode=mode, status__in=SEAT_HOLDING)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(seats), 0)


def _with_seats(events: list[Event]) -> list[Event]:
    """Attach ``seats`` – shaped like ``event_seats`` – from the ``taken_<mode>`` annotations:
    the rule of ``services.seats_left`` without two queries per event."""
    labels = dict(AttendanceMode.choices)
    for event in events:
        event.seats = []
        for mode in event.modes:
            capacity = event.capacity_for(mode)
            taken = getattr(event, f"taken_{mode}")
            left = None if capacity is None else max(capacity - taken, 0)
            event.seats.append(
                {"mode": mode, "label": labels[mode], "capacity": capacity, "left": left}
            )
    return events


def _listed(*, user: Any, filters: EventFilters) -> QuerySet[Event]:
    events = event_list_visible_to(user=user).select_related("series").prefetch_related("hosts")
    return event_filter(events, filters).annotate(until=Coalesce("ends_at", "starts_at"))


def event_list_upcoming(
    *, user: Any, filters: EventFilters, now: datetime | None = None
) -> list[Event]:
    """Events not over yet, soonest first, then those whose date is not known yet; each with
    ``seats`` per offered mode."""
    now = now or timezone.now()
    events = (
        _listed(user=user, filters=filters)
        .filter(Q(starts_at__isnull=True) | Q(until__gte=now))
        .annotate(**{f"taken_{mode}": _taken(mode) for mode in AttendanceMode.values})
        .order_by(F("starts_at").asc(nulls_last=True), "title", "pk")
    )
    return _with_seats(list(events))


def event_list_past(
    *, user: Any, filters: EventFilters, now: datetime | None = None
) -> QuerySet[Event]:
    """Events that are over, newest first."""
    now = now or timezone.now()
    return (
        _listed(user=user, filters=filters)
        .filter(until__lt=now)
        .order_by("-starts_at", "title", "pk")
    )


@dataclass(frozen=True)
class CalendarDay:
    """A cell of the month calendar; ``day`` is None for the cells outside the month."""

    day: date | None
    events: list[Event]
    is_today: bool = False


def _days_by_event(events: QuerySet[Event], first: date, last: date) -> dict[date, list[Event]]:
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        start = timezone.localtime(event.starts_at, EVENT_TIME_ZONE).date()
        end = timezone.localtime(event.ends_at or event.starts_at, EVENT_TIME_ZONE).date()
        day = max(start, first)
        while day <= min(end, last):
            by_day[day].append(event)
            day += timedelta(days=1)
    return by_day


def event_month_grid(
    *, user: Any, month: date, filters: EventFilters, today: date
) -> list[list[CalendarDay]]:
    """Weeks (Monday to Sunday) of ``month`` with the visible events on each day they last.
    The month in ``filters`` is ignored: ``month`` is the one shown."""
    start, end = month_range(month)
    events = (
        event_filter(event_list_visible_to(user=user), filters.without_month())
        .filter(starts_at__lt=end)
        .filter(Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start))
        .order_by("starts_at", "title", "pk")
    )
    last = (end - timedelta(days=1)).date()
    by_day = _days_by_event(events, month, last)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        month.year, month.month
    )
    return [
        [
            CalendarDay(day=day, events=by_day.get(day, []), is_today=day == today)
            if day.month == month.month
            else CalendarDay(day=None, events=[])
            for day in week
        ]
        for week in weeks
    ]


# The event page


def event_program(*, event: Event, user: Any) -> list[ProgramItem]:
    """The program in order, with people (and their organizations) and the linked catalog
    projects ``user`` may see: three queries however long the program."""
    people = ProgramPerson.objects.select_related("speaker__organization")
    projects = project_selectors.project_list_for_catalog(user=user).order_by("title")
    return list(
        event.program.prefetch_related(
            Prefetch("people", queryset=people),
            Prefetch("projects", queryset=projects),
            "materials",
        )
    )


def event_speakers(*, program: list[ProgramItem]) -> list[Speaker]:
    """Everyone on the program once, in order of first appearance (no query)."""
    seen: dict[int, Speaker] = {}
    for item in program:
        for person in item.people.all():
            seen.setdefault(person.speaker_id, person.speaker)
    return list(seen.values())


@dataclass(frozen=True)
class RegistrationWindow:
    """When registration opens and closes; ``state`` is "none" (draft or cancelled),
    "not_yet", "open" or "closed"."""

    state: str
    opens_at: datetime | None
    closes_at: datetime | None


def event_registration_window(*, event: Event, now: datetime | None = None) -> RegistrationWindow:
    """The same window ``services`` enforces: open from ``registration_opens_at`` until
    ``registration_closes_at``, or else until the event ends (or starts)."""
    now = now or timezone.now()
    opens = event.registration_opens_at
    closes = event.registration_closes_at or event.ends_at or event.starts_at
    if event.status != EventStatus.PUBLISHED:
        state = "none"
    elif opens and now < opens:
        state = "not_yet"
    elif closes and now > closes:
        state = "closed"
    else:
        state = "open"
    return RegistrationWindow(state=state, opens_at=opens, closes_at=closes)


def registration_list_for_user(*, user: Any):
    """The person's registrations that still count, soonest event first."""
    from .constants import ACTIVE

    return (
        Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .filter(status__in=ACTIVE)
        .select_related("event")
        .order_by("event__starts_at")
    )


def event_is_past(*, event: Event) -> bool:
    from django.utils import timezone

    end = event.ends_at or event.starts_at
    return bool(end and end < timezone.now())


def speaker_list_for_host(*, user: Any) -> QuerySet[Speaker]:
    """People a host may put on a program: those on public programs and on the programs of
    events the user hosts (not people on other hosts' drafts); the team sees all."""
    speakers = Speaker.objects.select_related("organization").order_by("name")
    if org_permissions.is_team(user):
        return speakers
    hosted = Event.objects.filter(
        hosts__memberships__user=user, hosts__memberships__role__in=["admin", "editor"]
    )
    return speakers.filter(
        Q(appearances__item__event__in=hosted)
        | Q(appearances__item__event__status=EventStatus.PUBLISHED)
        | Q(appearances__isnull=True)
    ).distinct()


def event_listed_participants(*, event: Event) -> list[Registration]:
    """Confirmed participants who agreed to be listed (name and organization only)."""
    from .constants import RegistrationStatus

    return list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, listed=True)
        .select_related("organization")
        # "event": the related manager sets each row's event from its event_id; deferred,
        # that would be one query per participant.
        .only("name", "event", "organization__name", "organization_name")
        .order_by("name")
    )
