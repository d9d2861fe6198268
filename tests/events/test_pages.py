"""The public event pages: list with filters, month calendar and the event page (SPEC §5)."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from initiativek.core.models import Topic
from initiativek.events.constants import EventFormat
from initiativek.events.filters import parse_month
from initiativek.events.templatetags.events import event_when, program_time
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.events.factories import (
    BERLIN,
    EventFactory,
    ProgramItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("events:list")
MONTH_URL = reverse("events:month")


def _at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def _ravensburg(**kwargs):
    """The first event of the 2021 series: 11 May 2021, 12–14 Uhr."""
    values = {
        "title": "Erfahrungsaustausch Ravensburg",
        "slug": "ravensburg-2021",
        "starts_at": _at(2021, 5, 11, 12),
        "ends_at": _at(2021, 5, 11, 14),
    }
    return EventFactory(**{**values, **kwargs})


def _future(days, **kwargs):
    start = timezone.now().astimezone(BERLIN).replace(minute=0, second=0, microsecond=0)
    start += timedelta(days=days)
    return EventFactory(starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)


def _section(response, section_id):
    return next(s for s in response.context["sections"] if s["id"] == section_id)["events"]


def _json_ld(body):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match[1])


# The list


def test_list_shows_upcoming_soonest_first_then_unknown_dates_and_past_newest_first(client):
    later = _future(30, title="Später")
    undated = EventFactory(title="Schwäbisch Gmünd", undated=True)
    soon = _future(7, title="Bald")
    old = _ravensburg()
    older = EventFactory(
        title="Vorjahr", starts_at=_at(2020, 5, 11, 12), ends_at=_at(2020, 5, 11, 14)
    )

    response = client.get(LIST_URL)

    assert list(_section(response, "kommende")) == [soon, later, undated]
    assert list(_section(response, "vergangene")) == [old, older]
    body = response.content.decode()
    assert "Kommende Veranstaltungen" in body and "Vergangene Veranstaltungen" in body
    assert "Termin noch nicht bekannt" in body
    assert "11. Mai 2021, 12:00–14:00 Uhr" in body
    assert reverse("events:feed") in body and "Kalender abonnieren" in body
    assert reverse("events:month") in body


def test_event_running_now_is_still_upcoming(client):
    now = timezone.now()
    running = EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))

    response = client.get(LIST_URL)

    assert list(_section(response, "kommende")) == [running]


def test_list_marks_cancelled_events_and_shows_seats_left_per_mode(client):
    event = _future(7, title="Hybrid", capacity_onsite=2, capacity_online=None)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, pending=True)  # holds no seat yet
    full = _future(8, title="Voll", onsite=True, capacity_onsite=1)
    RegistrationFactory(event=full)
    _future(9, title="Fällt aus", cancelled=True)

    body = client.get(LIST_URL).content.decode()

    assert "vor Ort: 1 Platz frei" in body
    assert "online: Plätze frei" in body
    assert "vor Ort: ausgebucht – Warteliste" in body
    assert '<span class="kern-label">abgesagt</span>' in body


def test_past_events_are_paginated(client):
    for day in range(1, 23):
        EventFactory(starts_at=_at(2021, 3, day, 12), ends_at=_at(2021, 3, day, 14))

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"seite": 2})

    assert len(_section(first, "vergangene")) == 20
    assert len(_section(second, "vergangene")) == 2
    assert "Seite 1 von 2" in first.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"format": "online"}, {"Online"}),
        ({"gastgeber": "ravensburg"}, {"Ravensburg"}),
        ({"monat": "2021-05"}, {"Ravensburg"}),
        ({"thema": "mobilitaet-parken"}, {"Online"}),
        ({"format": "hybrid", "monat": "2021-06"}, {"Herrenberg"}),
    ],
)
def test_list_filters(client, params, expected):
    parking = Topic.objects.get(slug="mobilitaet-parken")
    ravensburg = OrganizationFactory(name="Stadt Ravensburg", slug="ravensburg")
    _ravensburg(title="Ravensburg", hosts=[ravensburg])
    EventFactory(title="Herrenberg", starts_at=_at(2021, 6, 14, 15), ends_at=_at(2021, 6, 14, 17))
    online = EventFactory(
        title="Online", online=True, starts_at=_at(2021, 6, 1, 10), ends_at=_at(2021, 6, 1, 11)
    )
    online.topics.add(parking)

    response = client.get(LIST_URL, params)

    shown = {event.title for section in response.context["sections"] for event in section["events"]}
    assert shown == expected
    assert response.context["filters"].is_filtered


def test_unknown_filter_values_are_ignored(client):
    _ravensburg()
    _future(7)

    response = client.get(
        LIST_URL,
        {"format": "vr", "gastgeber": "gibt-es-nicht", "monat": "2021-13", "thema": "quatsch"},
    )

    assert response.status_code == 200
    assert not response.context["filters"].is_filtered
    shown = [event for section in response.context["sections"] for event in section["events"]]
    assert len(shown) == 2


@pytest.mark.parametrize("value", ["2021-5", "21-05", "2021-00", "2021-05-01", "abcd-ef", ""])
def test_malformed_months_are_not_parsed(value):
    assert parse_month(value) is None


def test_drafts_are_invisible_to_anonymous_visitors_but_visible_to_host_editors(client):
    host = OrganizationFactory()
    draft = _future(7, title="Noch geheim", draft=True, hosts=[host])
    editor = UserFactory()
    MembershipFactory(organization=host, user=editor, editor=True)
    member_elsewhere = UserFactory()
    MembershipFactory(user=member_elsewhere, editor=True)

    assert "Noch geheim" not in client.get(LIST_URL).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Noch geheim" not in client_for(member_elsewhere).get(LIST_URL).content.decode()
    assert client_for(member_elsewhere).get(draft.get_absolute_url()).status_code == 404

    as_editor = client_for(editor)
    body = as_editor.get(LIST_URL).content.decode()
    assert "Noch geheim" in body and "Entwurf – nicht öffentlich" in body
    page = as_editor.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "application/ld+json" not in page.content.decode()  # drafts are not announced


def test_list_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    for days in range(1, 8):
        event = _future(days, hosts=[OrganizationFactory(), OrganizationFactory()])
        RegistrationFactory(event=event)
    for day in range(1, 8):
        EventFactory(starts_at=_at(2021, 3, day, 12), ends_at=_at(2021, 3, day, 14))

    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert response.status_code == 200


# The month calendar


def test_month_view_is_a_table_with_events_on_their_days_and_navigation(client):
    event = _ravensburg()
    EventFactory(title="Juni", starts_at=_at(2021, 6, 14, 15), ends_at=_at(2021, 6, 14, 17))

    response = client.get(MONTH_URL, {"monat": "2021-05"})

    body = response.content.decode()
    assert '<caption class="kern-heading-medium">Mai 2021</caption>' in body
    weekdays = re.findall(r'<th scope="col"[^>]*><abbr title="(\w+)">(\w+)</abbr></th>', body)
    assert [abbr for _name, abbr in weekdays] == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    cell = re.search(r'<time[^>]*datetime="2021-05-11">11</time>(.*?)</td>', body, re.S)[1]
    assert f'href="{event.get_absolute_url()}"' in cell
    assert "Juni" not in body.split("<caption")[1].split("</table>")[0]
    assert 'href="?monat=2021-04"' in body and 'href="?monat=2021-06"' in body
    assert 'aria-current="date"' not in body  # today is not in May 2021

    following = client.get(MONTH_URL, {"monat": "2021-06"}).content.decode()
    assert "Juni 2021</caption>" in following and "Juni</a>" in following


def test_month_view_defaults_to_this_month_and_marks_today(client):
    today = timezone.localdate(timezone=BERLIN)

    for params in ({}, {"monat": "kaputt"}):
        body = client.get(MONTH_URL, params).content.decode()
        assert body.count('aria-current="date"') == 1
        assert f'datetime="{today.isoformat()}"' in body


def test_month_view_keeps_filters_in_navigation(client):
    body = client.get(MONTH_URL, {"monat": "2021-12", "format": "online"}).content.decode()

    assert 'href="?format=online&amp;monat=2021-11"' in body
    assert 'href="?format=online&amp;monat=2022-01"' in body


def test_multi_day_event_appears_on_each_day(client):
    event = EventFactory(starts_at=_at(2021, 5, 30, 9), ends_at=_at(2021, 6, 1, 17))

    may = client.get(MONTH_URL, {"monat": "2021-05"}).content.decode()
    june = client.get(MONTH_URL, {"monat": "2021-06"}).content.decode()

    assert may.count(f'href="{event.get_absolute_url()}"') == 2
    assert june.count(f'href="{event.get_absolute_url()}"') == 1


# The event page


@pytest.fixture
def ravensburg_program():
    town = OrganizationFactory(name="Stadt Ravensburg", slug="ravensburg")
    event = _ravensburg(hosts=[town])
    bastin = SpeakerFactory(name="Dirk Bastin", function="Bürgermeister", organization=town)
    moderator = SpeakerFactory(
        name="Maria Muster",
        function="Geschäftsstelle",
        organization=None,
        organization_name="Initiative K",
    )
    ProgramItemFactory(
        event=event,
        kind="begruessung",
        title="Begrüßung",
        starts_at=_at(2021, 5, 11, 12),
        ends_at=_at(2021, 5, 11, 12, 15),
        speakers=[bastin],
    )
    parking = ProjectFactory(title="Smart Parking")
    hidden = ProjectFactory(title="Geheimprojekt", draft=True)
    talk = ProgramItemFactory(
        event=event,
        kind="impuls",
        title="Smart Parking in der Innenstadt",
        starts_at=_at(2021, 5, 11, 12, 15),
        ends_at=_at(2021, 5, 11, 12, 35),
        speakers=[SpeakerFactory(name="Katharina Biethinger", function="Projektleitung")],
    )
    talk.projects.add(parking, hidden)
    ProgramItemFactory(
        event=event, kind="diskussion", title="Moderierte Diskussion", moderators=[moderator]
    )
    return event


def test_event_page_shows_program_as_timetable(client, ravensburg_program):
    body = client.get(ravensburg_program.get_absolute_url()).content.decode()

    assert "11. Mai 2021, 12:00–14:00 Uhr" in body
    assert "12:00–12:15 Uhr" in body and "12:15–12:35 Uhr" in body
    assert "Dirk Bastin, Bürgermeister, Stadt Ravensburg" in body
    assert "Maria Muster, Geschäftsstelle, Initiative K (Moderation)" in body
    assert "Impulsvortrag / Best Practice" in body
    assert '<a class="kern-link" href="/projekte/' in body and "Smart Parking</a>" in body
    assert "Geheimprojekt" not in body  # a draft project is not linked
    assert "ohne feste Zeit" in body  # the discussion has no time
    assert "Mitwirkende" in body
    assert reverse("organizations:detail", kwargs={"slug": "ravensburg"}) in body
    assert "js-print" in body and "js/print.js" in body
    assert "css/events.css" in body


def test_event_page_shows_hosts_partners_topics_seats_and_calendar_link(client):
    partner = OrganizationFactory(name="Komm.ONE")
    event = _future(7, capacity_onsite=1, capacity_online=30)
    event.partners.add(partner)
    event.topics.add(Topic.objects.get(slug="mobilitaet-parken"))
    RegistrationFactory(event=event)

    body = client.get(event.get_absolute_url()).content.decode()

    assert partner.get_absolute_url() in body and "Begleitende Partner" in body
    assert "?thema=mobilitaet-parken" in body
    assert "vor Ort: ausgebucht – Warteliste" in body
    assert "online: 30 Plätze frei" in body
    assert reverse("events:ics", kwargs={"slug": event.slug}) in body
    assert "In meinen Kalender" in body
    assert "möglich bis" in body


def test_cancelled_event_page_says_so(client):
    event = _future(7, cancelled=True)

    body = client.get(event.get_absolute_url()).content.decode()

    assert "Diese Veranstaltung wurde abgesagt." in body
    assert _json_ld(body)["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("event_format", "mode", "location_types"),
    [
        (EventFormat.ONLINE, "OnlineEventAttendanceMode", ["VirtualLocation"]),
        (EventFormat.HYBRID, "MixedEventAttendanceMode", ["Place", "VirtualLocation"]),
        (EventFormat.ONSITE, "OfflineEventAttendanceMode", ["Place"]),
    ],
)
def test_json_ld_attendance_mode_per_format(client, event_format, mode, location_types):
    traits = {EventFormat.ONLINE: {"online": True}, EventFormat.ONSITE: {"onsite": True}}
    event = _ravensburg(**traits.get(event_format, {}))
    speaker = SpeakerFactory(name="Eberhard Baier", function="CDO")
    ProgramItemFactory(event=event, speakers=[speaker])

    data = _json_ld(client.get(event.get_absolute_url()).content.decode())

    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == "2021-05-11T12:00:00+02:00"
    assert data["endDate"] == "2021-05-11T14:00:00+02:00"
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [location["@type"] for location in locations] == location_types
    assert data["organizer"][0]["name"] == event.hosts.get().name
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Eberhard Baier",
            "jobTitle": "CDO",
            "affiliation": {"@type": "Organization", "name": speaker.organization.name},
        }
    ]


def test_json_ld_omits_unknown_dates_and_escapes_markup(client):
    event = EventFactory(undated=True, title="</script><b>Test</b>")

    body = client.get(event.get_absolute_url()).content.decode()

    data = _json_ld(body)
    assert "startDate" not in data and "endDate" not in data
    assert data["name"] == "</script><b>Test</b>"
    assert "Termin noch nicht bekannt" in body
    assert reverse("events:ics", kwargs={"slug": event.slug}) not in body


@pytest.mark.parametrize("who", ["anonymous", "member", "host_editor", "team"])
def test_online_link_never_appears_on_the_public_page(client, who):
    event = _future(7, online_url="https://konferenz.example.org/geheimer-raum-4711")
    users = {
        "member": lambda: MembershipFactory().user,
        "host_editor": lambda: MembershipFactory(organization=event.hosts.get(), editor=True).user,
        "team": lambda: UserFactory(is_staff=True),
    }
    browser = client_for(users[who]()) if who in users else client

    body = browser.get(event.get_absolute_url()).content.decode()

    assert "geheimer-raum-4711" not in body
    assert "konferenz.example.org" not in body


def test_manage_link_only_for_hosts(client):
    event = _future(7)
    editor = MembershipFactory(organization=event.hosts.get(), editor=True).user
    other = MembershipFactory(editor=True).user
    manage = f'href="/veranstaltungen/{event.slug}/verwalten/"'

    assert manage in client_for(editor).get(event.get_absolute_url()).content.decode()
    assert manage not in client_for(other).get(event.get_absolute_url()).content.decode()
    assert manage not in client.get(event.get_absolute_url()).content.decode()


def test_detail_query_count_does_not_grow_with_program(client, django_assert_max_num_queries):
    event = _future(7)
    event.partners.add(OrganizationFactory())
    for position in range(8):
        item = ProgramItemFactory(
            event=event, position=position, speakers=[SpeakerFactory(), SpeakerFactory()]
        )
        item.projects.add(ProjectFactory())

    with django_assert_max_num_queries(14):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200


# Dates in German and English


def test_date_line_in_german_and_english():
    event = _ravensburg()
    two_days = EventFactory.build(starts_at=_at(2021, 5, 11, 9), ends_at=_at(2021, 5, 12, 17))
    item = ProgramItemFactory.build(
        starts_at=_at(2021, 5, 11, 12), ends_at=_at(2021, 5, 11, 12, 15)
    )

    with translation.override("de"):
        assert event_when(event) == "11. Mai 2021, 12:00–14:00 Uhr"
        assert event_when(two_days) == "11. Mai 2021, 09:00 Uhr – 12. Mai 2021, 17:00 Uhr"
        assert program_time(item) == "12:00–12:15 Uhr"
        assert event_when(EventFactory.build(starts_at=None)) == "Termin noch nicht bekannt"
    with translation.override("en"):
        assert event_when(event) == "11 May 2021, 12:00–14:00"
        assert event_when(two_days) == "11 May 2021, 09:00 – 12 May 2021, 17:00"
        assert program_time(item) == "12:00–12:15"


def test_times_are_berlin_time_whatever_the_active_time_zone():
    event = _ravensburg()

    with timezone.override("America/New_York"):
        assert event_when(event) == "11. Mai 2021, 12:00–14:00 Uhr"


def test_event_page_in_english(client):
    event = _ravensburg()
    client.cookies["django_language"] = "en"

    body = client.get(event.get_absolute_url()).content.decode()

    assert "11 May 2021, 12:00–14:00" in body
