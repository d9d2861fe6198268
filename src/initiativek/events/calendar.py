"""iCalendar (RFC 5545) for events: one event's .ics, the public feed and a person's own feed.

Pure building: callers pass events and registrations that are already allowed to be seen
(prefetch ``series`` and ``program__people__speaker__organization`` for lists). The online
link goes only into calendars built with ``include_online_url`` – the .ics and the personal
feed of confirmed participants (SPEC §5).

A changed event keeps its UID and carries the event's ``sequence``, so calendar programs
update their copy; a cancelled event is published with ``STATUS:CANCELLED`` so they remove it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .constants import EventFormat, EventStatus, ProgramRole, RegistrationStatus
from .models import Event, ProgramItem, Registration
from .permissions import gets_online_link

PRODID = "-//Initiative K//Plattform//DE"
CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_REFRESH = timedelta(hours=1)

# A personal feed shows one entry per event; the most binding registration wins.
_PERSONAL_PRIORITY = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.OFFERED: 1,
    RegistrationStatus.WAITLISTED: 2,
}


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value, _zone())


def event_uid(event: Event, *, site_url: str) -> str:
    """Stable for the life of the event, whatever changes: ``event-<pk>@<host>``."""
    return f"event-{event.pk}@{urlsplit(site_url).hostname}"


def event_location(event: Event) -> str:
    if event.format == EventFormat.ONLINE:
        return _("Online")
    address = [line.strip() for line in event.venue_address.splitlines() if line.strip()]
    parts = [part for part in [event.venue.strip(), *address] if part]
    return ", ".join(parts) or _("Online")


def _person_label(person) -> str:
    speaker = person.speaker
    label = ", ".join(p for p in [speaker.name, speaker.function, speaker.organization_label] if p)
    if person.role == ProgramRole.MODERATOR:
        return _("Moderation: %(person)s") % {"person": label}
    return label


def program_item_line(item: ProgramItem) -> str:
    """'12:00–12:15 Uhr Begrüßung – Dirk Bastin, Bürgermeister, Stadt Ravensburg'."""
    text = item.title
    people = "; ".join(_person_label(person) for person in item.people.all())
    if people:
        text = f"{text} – {people}"
    if item.starts_at and item.ends_at:
        times = _("%(start)s–%(end)s Uhr") % {
            "start": _local(item.starts_at).strftime("%H:%M"),
            "end": _local(item.ends_at).strftime("%H:%M"),
        }
    elif item.starts_at:
        times = _("%(start)s Uhr") % {"start": _local(item.starts_at).strftime("%H:%M")}
    else:
        return text
    return f"{times} {text}"


def _description(event: Event, *, include_online_url: bool, url: str) -> str:
    parts = []
    if event.status == EventStatus.CANCELLED:
        parts.append(_("Diese Veranstaltung wurde abgesagt."))
    if event.summary.strip():
        parts.append(event.summary.strip())
    lines = [program_item_line(item) for item in event.program.all()]
    if lines:
        parts.append("\n".join([_("Programm:"), *lines]))
    if include_online_url and event.online_url and event.status != EventStatus.CANCELLED:
        parts.append(_("Online-Zugang: %(url)s") % {"url": event.online_url})
    parts.append(_("Weitere Informationen: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def event_vevent(event: Event, *, include_online_url: bool, site_url: str) -> icalendar.Event:
    """The VEVENT of ``event``. Precondition: the event has a start (``starts_at``)."""
    if event.starts_at is None:
        raise ValueError("An event without a date has no calendar entry.")
    url = site_url.rstrip("/") + event.get_absolute_url()
    cancelled = event.status == EventStatus.CANCELLED
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, site_url=site_url))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", _local(event.starts_at))
    if event.ends_at:
        vevent.add("dtend", _local(event.ends_at))
    vevent.add(
        "summary", _("Abgesagt: %(title)s") % {"title": event.title} if cancelled else event.title
    )
    vevent.add("location", event_location(event))
    vevent.add("url", url)
    vevent.add("description", _description(event, include_online_url=include_online_url, url=url))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if event.series_id:
        vevent.add("categories", [event.series.name])
    if event.updated_at:
        vevent.add("last-modified", event.updated_at.astimezone(ZoneInfo("UTC")))
    return vevent


def _calendar(name: str, vevents: list[icalendar.Event], *, feed: bool = False) -> bytes:
    """Wrap ``vevents`` with the calendar properties and the VTIMEZONE they refer to.

    The VTIMEZONE spans the years of the events only, which keeps it short; it is always
    present, so even an empty feed holds one component as RFC 5545 requires.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if feed:
        # RFC 7986 asks for VALUE=DURATION; X-PUBLISHED-TTL is the older name Outlook reads.
        cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))
    years = [
        vevent[key].dt.year for vevent in vevents for key in ("DTSTART", "DTEND") if key in vevent
    ] or [timezone.now().year]
    cal.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=date(min(years), 1, 1),
            last_date=date(max(years) + 1, 1, 1),
        )
    )
    for vevent in vevents:
        cal.add_component(vevent)
    cal.add_missing_timezones()  # a no-op unless someone adds another zone
    return cal.to_ical()


def event_calendar(event: Event, *, include_online_url: bool = False) -> bytes:
    """The .ics of one event. Precondition: the event has a start."""
    vevent = event_vevent(event, include_online_url=include_online_url, site_url=settings.SITE_URL)
    return _calendar(event.title, [vevent])


def _in_feed(event: Event) -> bool:
    return event.starts_at is not None and event.status != EventStatus.DRAFT


def public_feed_calendar(events: Iterable[Event]) -> bytes:
    """All published and cancelled events with a date, never with the online link."""
    site_url = settings.SITE_URL
    vevents = [
        event_vevent(event, include_online_url=False, site_url=site_url)
        for event in events
        if _in_feed(event)
    ]
    name = _("%(platform)s – Veranstaltungen") % {"platform": settings.PLATFORM_NAME}
    return _calendar(name, vevents, feed=True)


def _personal_registrations(registrations: Iterable[Registration]) -> list[Registration]:
    chosen: dict[int, Registration] = {}
    for registration in registrations:
        if registration.status not in _PERSONAL_PRIORITY or not _in_feed(registration.event):
            continue
        current = chosen.get(registration.event_id)
        if current is None or (
            _PERSONAL_PRIORITY[registration.status] < _PERSONAL_PRIORITY[current.status]
        ):
            chosen[registration.event_id] = registration
    return sorted(chosen.values(), key=lambda r: (r.event.starts_at, r.event_id))


def personal_vevent(registration: Registration, *, site_url: str) -> icalendar.Event:
    """The person's view of the event: with the online link once confirmed, otherwise marked
    as waiting list or offered seat and not blocking the time."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    vevent = event_vevent(
        registration.event, include_online_url=gets_online_link(registration), site_url=site_url
    )
    if not confirmed:
        label = {
            RegistrationStatus.WAITLISTED: _("Warteliste"),
            RegistrationStatus.OFFERED: _("Platz angeboten"),
        }.get(registration.status, registration.get_status_display())
        vevent["SUMMARY"] = icalendar.vText(f"{vevent['SUMMARY']} ({label})")
        vevent["TRANSP"] = icalendar.vText("TRANSPARENT")
    return vevent


def personal_feed_calendar(registrations: Iterable[Registration]) -> bytes:
    """One person's events: confirmed ones with the online link, waiting list and offered
    seats without it; cancelled and unconfirmed registrations are left out."""
    site_url = settings.SITE_URL
    vevents = [
        personal_vevent(registration, site_url=site_url)
        for registration in _personal_registrations(registrations)
    ]
    name = _("%(platform)s – Meine Veranstaltungen") % {"platform": settings.PLATFORM_NAME}
    return _calendar(name, vevents, feed=True)


def registration_ics_attachment(registration: Registration) -> tuple[str, str, str] | None:
    """(filename, content, mimetype) for the confirmation e-mail, in the person's language;
    the online link is in it once the registration is confirmed. None while the event has
    no date ("Termin noch nicht bekannt")."""
    event = registration.event
    if event.starts_at is None:
        return None
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        content = event_calendar(event, include_online_url=gets_online_link(registration))
    return f"{event.slug}.ics", content.decode("utf-8"), f"{CONTENT_TYPE}; method=PUBLISH"
