"""``/veranstaltungen/<slug>/``: the event page with program, people, seats and schema.org data."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import mark_safe
from django.utils.safestring import SafeString

from initiativek.core.markdown import render_plain
from initiativek.organizations.models import Organization
from initiativek.surveys import selectors as survey_selectors

from .. import permissions, selectors
from ..constants import EventFormat, EventStatus
from ..filters import EVENT_TIME_ZONE
from ..models import Event, Speaker
from .registration import registration_context

# Characters that could end the <script> data block are written as JSON escapes.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_ATTENDANCE_MODE = {
    EventFormat.ONLINE: "OnlineEventAttendanceMode",
    EventFormat.HYBRID: "MixedEventAttendanceMode",
    EventFormat.ONSITE: "OfflineEventAttendanceMode",
}


def _locations(event: Event, page_url: str) -> list[dict]:
    """The venue as a Place and, for online participation, a VirtualLocation that points to
    this page – never to the online link, which only confirmed participants receive."""
    locations = []
    if event.format != EventFormat.ONLINE and (event.venue or event.venue_address):
        address = ", ".join(
            line.strip() for line in event.venue_address.splitlines() if line.strip()
        )
        place = {"@type": "Place", "address": address or event.venue}
        if event.venue:
            place["name"] = event.venue
        locations.append(place)
    if event.format != EventFormat.ONSITE:
        locations.append({"@type": "VirtualLocation", "url": page_url})
    return locations


def _person(speaker: Speaker) -> dict:
    person = {"@type": "Person", "name": speaker.name}
    if speaker.function:
        person["jobTitle"] = speaker.function
    if speaker.organization_label:
        person["affiliation"] = {"@type": "Organization", "name": speaker.organization_label}
    return person


def _organization(request: HttpRequest, organization: Organization) -> dict:
    return {
        "@type": "Organization",
        "name": organization.name,
        "url": request.build_absolute_uri(organization.get_absolute_url()),
    }


def _schema_org(request: HttpRequest, event: Event, speakers: list[Speaker]) -> SafeString:
    """schema.org Event as JSON-LD (a data block, not executed; CSP-safe). Drafts get none."""
    if event.status == EventStatus.DRAFT:
        return mark_safe("")
    page_url = request.build_absolute_uri(event.get_absolute_url())
    cancelled = event.status == EventStatus.CANCELLED
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page_url,
        "eventAttendanceMode": f"https://schema.org/{_ATTENDANCE_MODE[event.format]}",
        "eventStatus": f"https://schema.org/{'EventCancelled' if cancelled else 'EventScheduled'}",
        "inLanguage": "de",
    }
    description = event.summary or render_plain(event.description, 300)
    if description:
        data["description"] = description
    organizers = [_organization(request, host) for host in event.hosts.all()]
    if organizers:
        data["organizer"] = organizers
    if event.starts_at:
        data["startDate"] = timezone.localtime(event.starts_at, EVENT_TIME_ZONE).isoformat()
    if event.ends_at:
        data["endDate"] = timezone.localtime(event.ends_at, EVENT_TIME_ZONE).isoformat()
    locations = _locations(event, page_url)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if speakers:
        data["performer"] = [_person(speaker) for speaker in speakers]
    if event.series:
        data["superEvent"] = {"@type": "EventSeries", "name": event.series.name}
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def event_detail_context(
    request: HttpRequest, event: Event, *, seats: list[dict] | None = None
) -> dict:
    """Everything the event page shows except the registration box (see
    ``registration.registration_context``); also used when a registration form is re-shown."""
    program = selectors.event_program(event=event, user=request.user)
    speakers = selectors.event_speakers(program=program)
    return {
        "event": event,
        "program": program,
        "speakers": speakers,
        "listed_participants": selectors.event_listed_participants(event=event),
        "seats": selectors.event_seats(event=event) if seats is None else seats,
        "registration_window": selectors.event_registration_window(event=event),
        "can_host": permissions.can_host(request.user, event),
        "feedback_questionnaires": survey_selectors.questionnaire_list_for_event(
            event=event, user=request.user
        ),
        "schema_org": _schema_org(request, event, speakers),
    }


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    registration = registration_context(request, event)
    context = event_detail_context(request, event, seats=registration["seats"])
    return render(request, "events/detail.html", {**context, **registration})
