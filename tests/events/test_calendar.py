"""iCalendar output (SPEC §5, issue 4 item 6): every output is parsed back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from initiativek.core.models import AuditEntry
from initiativek.events import calendar, services_calendar
from initiativek.events.constants import EventStatus, ProgramKind
from initiativek.events.models import Event
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.organizations.factories import OrganizationFactory

from .factories import EventFactory, ProgramItemFactory, RegistrationFactory, SpeakerFactory

BERLIN = ZoneInfo("Europe/Berlin")
SITE_URL = "https://initiative-k.example.org"
ONLINE_URL = "https://konferenz.example.org/raum/geheim-4711"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.TIME_ZONE = "Europe/Berlin"


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def parse(content: bytes) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(content)
    assert cal.name == "VCALENDAR"
    assert str(cal["PRODID"]) == "-//Initiative K//Plattform//DE"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"])
    # Every TZID used has its VTIMEZONE; ours is always there, also in an empty feed.
    assert cal.get_missing_tzids() == set()
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Berlin"]
    for vevent in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "SEQUENCE", "STATUS", "URL"):
            assert required in vevent, required
    return cal


def vevents(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(vevent["UID"]): vevent for vevent in cal.walk("VEVENT")}


def uid(event: Event) -> str:
    return f"event-{event.pk}@initiative-k.example.org"


def get_ics(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline; filename=")
    return parse(response.content)


# Structure, time zone, DST


def test_event_ics_is_valid_icalendar_with_berlin_time_zone(client):
    event = EventFactory(
        title="Erfahrungsaustausch Ravensburg",
        starts_at=berlin(2021, 5, 11, 12),
        ends_at=berlin(2021, 5, 11, 14),
    )

    cal = get_ics(client, reverse("events:ics", kwargs={"slug": event.slug}))

    vevent = vevents(cal)[uid(event)]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent["DTEND"].params["TZID"] == "Europe/Berlin"
    assert vevent["DTSTART"].dt == berlin(2021, 5, 11, 12)
    assert vevent["DTEND"].dt == berlin(2021, 5, 11, 14)
    assert str(vevent["SUMMARY"]) == "Erfahrungsaustausch Ravensburg"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]) == f"{SITE_URL}/veranstaltungen/{event.slug}/"
    assert (
        str(vevent["LOCATION"])
        == "Rathaus Ravensburg, Schwörsaal, Marienplatz 26, 88212 Ravensburg"
    )
    assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)


def test_online_event_location_is_online():
    event = EventFactory(online=True)

    vevent = vevents(parse(calendar.event_calendar(event)))[uid(event)]

    assert str(vevent["LOCATION"]) == "Online"


@pytest.mark.parametrize(
    ("day", "offset"),
    [(27, timedelta(hours=1)), (29, timedelta(hours=2))],
    ids=["before-dst-CET", "after-dst-CEST"],
)
def test_local_time_is_kept_across_the_dst_change(day, offset):
    """DST began on 2021-03-28: 12:00 in Berlin is 11:00 UTC before and 10:00 UTC after."""
    event = EventFactory(starts_at=berlin(2021, 3, day, 12), ends_at=berlin(2021, 3, day, 14))

    content = calendar.public_feed_calendar([event])
    cal = parse(content)

    assert f"DTSTART;TZID=Europe/Berlin:202103{day}T120000".encode() in content
    start = vevents(cal)[uid(event)]["DTSTART"].dt
    assert (start.hour, start.minute) == (12, 0)
    assert start.utcoffset() == offset
    assert start.astimezone(ZoneInfo("UTC")).hour == 12 - offset.seconds // 3600
    # The VTIMEZONE in the file, read on its own, agrees (for programs that use it).
    own_zone = cal.timezones[0].to_tz(lookup_tzid=False)
    assert start.replace(tzinfo=own_zone).utcoffset() == offset


def test_feed_spanning_the_dst_change_keeps_both_at_noon():
    before = EventFactory(starts_at=berlin(2021, 3, 27, 12), ends_at=berlin(2021, 3, 27, 13))
    after = EventFactory(starts_at=berlin(2021, 3, 29, 12), ends_at=berlin(2021, 3, 29, 13))

    entries = vevents(parse(calendar.public_feed_calendar([before, after])))

    starts = [entries[uid(e)]["DTSTART"].dt for e in (before, after)]
    assert [(s.hour, s.utcoffset()) for s in starts] == [
        (12, timedelta(hours=1)),
        (12, timedelta(hours=2)),
    ]


# Changes and cancellation


def test_changed_event_keeps_uid_with_higher_sequence():
    event = EventFactory(starts_at=berlin(2021, 5, 11, 12), ends_at=berlin(2021, 5, 11, 14))
    first = vevents(parse(calendar.event_calendar(event)))[uid(event)]

    # What the event-edit service does on a change of time.
    Event.objects.filter(pk=event.pk).update(
        starts_at=berlin(2021, 5, 11, 13), ends_at=berlin(2021, 5, 11, 15), sequence=2
    )
    event.refresh_from_db()
    second = vevents(parse(calendar.event_calendar(event)))[uid(event)]

    assert str(first["UID"]) == str(second["UID"]) == uid(event)
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 2)
    assert second["DTSTART"].dt == berlin(2021, 5, 11, 13)


def test_cancelled_event_stays_in_public_feed_as_cancelled(client):
    event = EventFactory(cancelled=True, sequence=3)

    cal = get_ics(client, reverse("events:feed"))

    vevent = vevents(cal)[uid(event)]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 3
    assert "abgesagt" in str(vevent["DESCRIPTION"])


def test_feed_leaves_out_events_without_date_and_drafts(client):
    published = EventFactory()
    undated = EventFactory(undated=True)
    draft = EventFactory(draft=True)

    cal = get_ics(client, reverse("events:feed"))

    assert set(vevents(cal)) == {uid(published)}
    assert uid(undated) not in vevents(cal) and uid(draft) not in vevents(cal)


def test_empty_feed_is_still_valid(client):
    cal = get_ics(client, reverse("events:feed"))

    assert vevents(cal) == {}


def test_public_feed_can_be_cached_briefly_and_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    for _ in range(3):
        event = EventFactory()
        ProgramItemFactory(event=event, speakers=[SpeakerFactory(), SpeakerFactory()])

    with django_assert_num_queries(4):  # events+series, program, people+speakers, hosts
        response = client.get(reverse("events:feed"))

    assert len(vevents(parse(response.content))) == 3
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert "public" in response["Cache-Control"]
    assert "max-age=900" in response["Cache-Control"]


def test_event_ics_is_404_for_drafts_and_events_without_date(client):
    draft = EventFactory(draft=True)
    undated = EventFactory(undated=True)

    for event in (draft, undated):
        assert client.get(reverse("events:ics", kwargs={"slug": event.slug})).status_code == 404


# Program


def test_description_lists_the_program_in_berlin_time():
    event = EventFactory(
        summary="Kommunen berichten.",
        starts_at=berlin(2021, 5, 11, 12),
        ends_at=berlin(2021, 5, 11, 14),
    )
    mayor = SpeakerFactory(
        name="Dirk Bastin",
        function="Bürgermeister",
        organization=OrganizationFactory(name="Stadt Ravensburg"),
    )
    ProgramItemFactory(
        event=event,
        position=1,
        kind=ProgramKind.WELCOME,
        title="Begrüßung",
        starts_at=berlin(2021, 5, 11, 12),
        ends_at=berlin(2021, 5, 11, 12, 15),
        speakers=[mayor],
    )
    moderator = SpeakerFactory(name="Eva Muster", function="", organization=None)
    ProgramItemFactory(
        event=event,
        position=2,
        kind=ProgramKind.DISCUSSION,
        title="Moderierte Diskussion",
        starts_at=berlin(2021, 5, 11, 13, 30),
        moderators=[moderator],
    )

    description = str(vevents(parse(calendar.event_calendar(event)))[uid(event)]["DESCRIPTION"])

    assert description.startswith("Kommunen berichten.")
    assert "12:00–12:15 Uhr Begrüßung – Dirk Bastin, Bürgermeister, Stadt Ravensburg\n" in (
        description
    )
    assert "13:30 Uhr Moderierte Diskussion – Moderation: Eva Muster" in description
    assert f"{SITE_URL}/veranstaltungen/{event.slug}/" in description


# The online link only for confirmed participants


def test_public_event_ics_and_feed_never_carry_the_online_link(client):
    event = EventFactory(online_url=ONLINE_URL)
    RegistrationFactory(event=event)

    event_ics = client.get(reverse("events:ics", kwargs={"slug": event.slug}))
    feed = client.get(reverse("events:feed"))

    for response in (event_ics, feed):
        parse(response.content)
        assert b"geheim-4711" not in response.content
    assert "public" in event_ics["Cache-Control"]


def test_event_ics_has_the_online_link_for_a_confirmed_participant_only(user):
    event = EventFactory(online_url=ONLINE_URL)
    waiting = UserFactory()
    RegistrationFactory(event=event, user=user, email=user.email, online=True)
    RegistrationFactory(event=event, user=waiting, email=waiting.email, waitlisted=True)
    onsite = UserFactory()
    RegistrationFactory(event=event, user=onsite, email=onsite.email)
    url = reverse("events:ics", kwargs={"slug": event.slug})
    # on-site participants of a hybrid event don't get the link (online seats are limited)
    assert b"geheim-4711" not in client_for(onsite).get(url).content

    confirmed_response = client_for(user).get(url)
    waiting_response = client_for(waiting).get(url)

    description = str(vevents(parse(confirmed_response.content))[uid(event)]["DESCRIPTION"])
    assert f"Online-Zugang: {ONLINE_URL}" in description
    assert "no-store" in confirmed_response["Cache-Control"]
    assert "private" in confirmed_response["Cache-Control"]
    parse(waiting_response.content)
    assert b"geheim-4711" not in waiting_response.content


def test_personal_feed_has_links_of_confirmed_events_and_marks_the_waiting_list(client, user):
    confirmed = EventFactory(online_url=ONLINE_URL)
    waiting = EventFactory(online_url="https://konferenz.example.org/raum/warte-0815")
    offered = EventFactory(online_url="https://konferenz.example.org/raum/angebot-1234")
    cancelled = EventFactory()
    someone_elses = EventFactory()
    RegistrationFactory(event=confirmed, user=user, email=user.email, online=True)
    RegistrationFactory(event=waiting, user=user, email=user.email, waitlisted=True)
    RegistrationFactory(event=offered, user=user, email=user.email, offered=True)
    RegistrationFactory(event=cancelled, user=user, email=user.email, cancelled=True)
    RegistrationFactory(event=someone_elses)
    feed = services_calendar.calendar_feed_get_or_create(user=user)

    response = client.get(reverse("events:personal-feed", kwargs={"token": feed.token}))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entries = vevents(parse(response.content))
    assert set(entries) == {uid(confirmed), uid(waiting), uid(offered)}
    assert f"Online-Zugang: {ONLINE_URL}" in str(entries[uid(confirmed)]["DESCRIPTION"])
    assert str(entries[uid(confirmed)]["SUMMARY"]) == confirmed.title
    assert str(entries[uid(waiting)]["SUMMARY"]) == f"{waiting.title} (Warteliste)"
    assert str(entries[uid(offered)]["SUMMARY"]) == f"{offered.title} (Platz angeboten)"
    assert str(entries[uid(waiting)]["TRANSP"]) == "TRANSPARENT"
    assert b"warte-0815" not in response.content
    assert b"angebot-1234" not in response.content


def test_personal_feed_keeps_a_cancelled_event_as_cancelled(client, user):
    event = EventFactory(cancelled=True, online_url=ONLINE_URL)
    RegistrationFactory(event=event, user=user, email=user.email)
    feed = services_calendar.calendar_feed_get_or_create(user=user)

    response = client.get(reverse("events:personal-feed", kwargs={"token": feed.token}))

    assert str(vevents(parse(response.content))[uid(event)]["STATUS"]) == "CANCELLED"
    assert b"geheim-4711" not in response.content


# Personal feed address


def test_personal_feed_is_404_for_an_unknown_token(client, user):
    services_calendar.calendar_feed_get_or_create(user=user)

    response = client.get(reverse("events:personal-feed", kwargs={"token": "unbekannt"}))

    assert response.status_code == 404


def test_personal_feed_is_404_for_an_inactive_user(client, user):
    feed = services_calendar.calendar_feed_get_or_create(user=user)
    user.is_active = False
    user.save()

    response = client.get(reverse("events:personal-feed", kwargs={"token": feed.token}))

    assert response.status_code == 404


def test_get_or_create_keeps_the_same_address(user):
    first = services_calendar.calendar_feed_get_or_create(user=user)
    second = services_calendar.calendar_feed_get_or_create(user=user)

    assert first.pk == second.pk and first.token == second.token
    assert len(first.token) >= 40


def test_renewing_the_token_invalidates_the_old_address(client, user):
    old_token = services_calendar.calendar_feed_get_or_create(user=user).token

    feed = services_calendar.calendar_feed_renew(user=user)

    assert feed.token != old_token
    old = client.get(reverse("events:personal-feed", kwargs={"token": old_token}))
    new = client.get(reverse("events:personal-feed", kwargs={"token": feed.token}))
    assert old.status_code == 404
    assert new.status_code == 200
    entry = AuditEntry.objects.get(action="events.calendar_feed.renewed")
    assert entry.actor == user
    assert entry.object_id == str(user.pk)


# E-mail attachment


def test_confirmation_attachment_carries_the_online_link_when_confirmed():
    registration = RegistrationFactory(event=EventFactory(online_url=ONLINE_URL), online=True)

    filename, content, mimetype = calendar.registration_ics_attachment(registration)

    assert filename == f"{registration.event.slug}.ics"
    assert mimetype == "text/calendar; charset=utf-8; method=PUBLISH"
    vevent = vevents(parse(content.encode()))[uid(registration.event)]
    assert f"Online-Zugang: {ONLINE_URL}" in str(vevent["DESCRIPTION"])


def test_attachment_for_the_waiting_list_has_no_online_link():
    registration = RegistrationFactory(event=EventFactory(online_url=ONLINE_URL), waitlisted=True)

    _filename, content, _mimetype = calendar.registration_ics_attachment(registration)

    parse(content.encode())
    assert "geheim-4711" not in content


def test_no_attachment_while_the_date_is_not_known():
    registration = RegistrationFactory(event=EventFactory(undated=True))

    assert calendar.registration_ics_attachment(registration) is None


def test_event_without_date_cannot_become_a_vevent():
    with pytest.raises(ValueError):
        calendar.event_vevent(
            EventFactory(undated=True, status=EventStatus.PUBLISHED),
            include_online_url=False,
            site_url=SITE_URL,
        )
