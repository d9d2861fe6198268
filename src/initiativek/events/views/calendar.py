"""Calendar downloads and subscriptions (.ics)."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .. import calendar, selectors
from ..constants import EventStatus, RegistrationStatus
from ..models import CalendarFeed, Event, ProgramItem, ProgramPerson, Registration
from ..permissions import gets_online_link

PUBLIC_FEED_MAX_AGE = 15 * 60
EVENT_MAX_AGE = 5 * 60

_PROGRAM = Prefetch(
    "program",
    queryset=ProgramItem.objects.prefetch_related(
        Prefetch(
            "people",
            queryset=ProgramPerson.objects.select_related("speaker__organization"),
        )
    ),
)


def _with_program(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("series").prefetch_related(_PROGRAM)


def _ics_response(content: bytes, filename: str, *, private: bool, max_age: int = 0):
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        # Carries the online link or a secret address: never stored by caches.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _has_confirmed_registration(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    registration = Registration.objects.filter(
        event=event, user=user, status=RegistrationStatus.CONFIRMED
    ).first()
    return registration is not None and gets_online_link(registration)


@require_safe
def event_ics(request, slug):
    """The event's .ics for anyone who may see the event; with the online link for a
    signed-in person whose registration is confirmed. 404 while the date is not known."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if event.starts_at is None:
        raise Http404
    prefetch_related_objects([event], _PROGRAM)
    include_online_url = _has_confirmed_registration(request.user, event)
    content = calendar.event_calendar(event, include_online_url=include_online_url)
    shared = not request.user.is_authenticated and event.status != EventStatus.DRAFT
    return _ics_response(content, f"{event.slug}.ics", private=not shared, max_age=EVENT_MAX_AGE)


@require_safe
def public_feed(request):
    """All published and cancelled events with a date, for calendar subscriptions."""
    events = _with_program(selectors.event_list_published().filter(starts_at__isnull=False))
    content = calendar.public_feed_calendar(events)
    return _ics_response(content, "veranstaltungen.ics", private=False, max_age=PUBLIC_FEED_MAX_AGE)


@require_safe
def personal_feed(request, token):
    """A person's own events by the secret address of their feed; no sign-in, since
    calendar programs cannot sign in."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    registrations = (
        Registration.objects.filter(user=feed.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(event__status=EventStatus.DRAFT)
        .filter(event__starts_at__isnull=False)
        .prefetch_related(Prefetch("event", queryset=_with_program(Event.objects.all())))
    )
    content = calendar.personal_feed_calendar(registrations)
    return _ics_response(content, "meine-veranstaltungen.ics", private=True)
