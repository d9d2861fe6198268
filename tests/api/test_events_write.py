"""/api/v1/events/ writes: hosts create drafts, change and cancel events through the host
services – who may, what is refused, If-Match, and what participants are told."""

import json
from datetime import datetime, timedelta

import pytest
from django.core import mail
from rest_framework.test import APIClient

from initiativek.events.constants import EventFormat, EventStatus
from initiativek.events.models import Event
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_problem, token_client
from tests.events.factories import (
    BERLIN,
    EventFactory,
    EventSeriesFactory,
    ProgramItemFactory,
    RegistrationFactory,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db]

LIST = "/api/v1/events/"
START = "2030-05-14T12:00:00+02:00"
END = "2030-05-14T16:00:00+02:00"


@pytest.fixture
def world():
    town = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    other = OrganizationFactory(name="Konstanz", slug="konstanz")
    return {
        "town": town,
        "other": other,
        "event": EventFactory(hosts=[town], slug="treffen", title="Treffen"),
        "draft": EventFactory(hosts=[town], slug="entwurf", title="Entwurf", draft=True),
        "foreign_draft": EventFactory(hosts=[other], slug="fremd", title="Fremd", draft=True),
    }


def _user(role, world):
    town = world["town"]
    if role == "member":
        return MembershipFactory(organization=town).user
    if role == "host_editor":
        return MembershipFactory(organization=town, editor=True).user
    if role == "host_admin":
        return MembershipFactory(organization=town, admin=True).user
    if role == "other_editor":
        return MembershipFactory(organization=world["other"], editor=True).user
    return UserFactory(is_staff=True)


def _client(role, world):
    return APIClient() if role == "anonymous" else token_client(_user(role, world))


def _editor(world):
    return token_client(_user("host_editor", world))


def _post(client, data, url=LIST):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, slug, data, if_match=None):
    extra = {"HTTP_IF_MATCH": if_match} if if_match else {}
    return client.patch(
        f"{LIST}{slug}/", json.dumps(data), content_type="application/json", **extra
    )


def _cancel(client, slug, data=None):
    return _post(client, data if data is not None else {}, url=f"{LIST}{slug}/cancel/")


def _row(slug):
    return Event.objects.values().get(slug=slug)


def _pointers(response):
    body = assert_problem(response, 400)
    return [error["pointer"] for error in body["errors"]]


ROLES = [
    ("anonymous", 401),
    ("member", 403),
    ("host_editor", 200),
    ("host_admin", 200),
    ("other_editor", 403),
    ("team", 200),
]


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_editors_and_admins_of_the_host_and_the_team_create_events(world, role, status):
    response = _post(_client(role, world), {"host": "ravensburg", "title": "Neu"})

    expected = 201 if status == 200 else status
    assert response.status_code == expected, response.content
    if expected != 201:
        assert_problem(response, expected)
    assert Event.objects.filter(title="Neu").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_hosts_and_the_team_change_events(world, role, status):
    before = _row("treffen")

    response = _patch(_client(role, world), "treffen", {"title": "Geändert"})

    assert response.status_code == status, response.content
    if status == 200:
        assert Event.objects.get(slug="treffen").title == "Geändert"
    else:
        assert_problem(response, status)
        assert _row("treffen") == before


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_hosts_and_the_team_cancel_events(world, role, status):
    response = _cancel(_client(role, world), "treffen", {"reason": "Krankheit"})

    assert response.status_code == status, response.content
    cancelled = Event.objects.get(slug="treffen").status == EventStatus.CANCELLED
    assert cancelled == (status == 200)


@pytest.mark.parametrize(
    ("role", "slug"), [("member", "entwurf"), ("other_editor", "entwurf"), ("host_editor", "fremd")]
)
def test_drafts_one_may_not_see_are_404_for_writes(world, role, slug):
    client = _client(role, world)
    before = _row(slug)

    assert_problem(_patch(client, slug, {"title": "x"}), 404)
    assert_problem(_cancel(client, slug), 404)
    assert _row(slug) == before


def test_an_editor_cannot_create_for_an_organization_they_do_not_edit(world):
    response = _post(_editor(world), {"host": "konstanz", "title": "Fremd angelegt"})

    assert_problem(response, 403)
    assert not Event.objects.filter(title="Fremd angelegt").exists()


# --- create -------------------------------------------------------------------------------


def test_a_draft_is_created_with_its_relations_and_times(world):
    EventSeriesFactory(slug="reihe", name="Reihe")
    partner = OrganizationFactory(slug="partner", name="Partner", not_member=True)
    data = {
        "host": "ravensburg",
        "title": "Smart City Tag",
        "summary": "Kommunen berichten.",
        "description": "**Markdown**",
        "series": "reihe",
        "format": EventFormat.ONSITE,
        "starts_at": START,
        "ends_at": END,
        "venue": "Rathaus",
        "venue_address": "Marienplatz 26\n88212 Ravensburg",
        "capacity_onsite": 30,
        "capacity_online": None,
        "seats_per_organization": 2,
        "registration_opens_at": "2030-04-01T08:00:00Z",
        "registration_closes_at": "2030-05-10T18:00:00+02:00",
        "waitlist_mode": "automatisch",
        "offer_hold_hours": 24,
        "reminder_hours_before": 48,
        "ask_access_needs": False,
        "hosts": ["konstanz"],
        "partners": ["partner"],
        "topics": ["schulen"],
    }

    response = _post(_editor(world), data)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == EventStatus.DRAFT
    assert body["slug"] == "smart-city-tag"
    assert response["Location"].endswith(f"{LIST}smart-city-tag/")
    assert {h["slug"] for h in body["hosts"]} == {"ravensburg", "konstanz"}
    assert body["partners"] == [{"slug": "partner", "name": "Partner"}]
    assert body["topics"] == ["schulen"]
    assert body["series"] == "Reihe"
    assert "online_url" not in body
    event = Event.objects.get(slug="smart-city-tag")
    assert event.starts_at == datetime(2030, 5, 14, 12, tzinfo=BERLIN)
    assert event.ends_at == datetime(2030, 5, 14, 16, tzinfo=BERLIN)
    assert event.registration_opens_at == datetime(2030, 4, 1, 10, tzinfo=BERLIN)
    assert (event.capacity_onsite, event.capacity_online, event.seats_per_organization) == (
        30,
        None,
        2,
    )
    assert (event.waitlist_mode, event.offer_hold_hours, event.reminder_hours_before) == (
        "automatisch",
        24,
        48,
    )
    assert event.ask_access_needs is False
    assert event.partners.get() == partner


def test_an_event_without_a_date_yet_is_created_undated(world):
    response = _post(_editor(world), {"host": "ravensburg", "title": "Irgendwann"})

    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] is None
    assert Event.objects.get(title="Irgendwann").starts_at is None


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"title": "x"}, "#/host"),
        ({"host": "gibt-es-nicht", "title": "x"}, "#/host"),
        ({"host": ["ravensburg"], "title": "x"}, "#/host"),
        ({"host": "ravensburg"}, "#/title"),
        ({"host": "ravensburg", "title": "x", "status": "veroeffentlicht"}, "#/status"),
        ({"host": "ravensburg", "title": "x", "ends_at": END}, "#/ends_at"),
        ({"host": "ravensburg", "title": "x", "starts_at": END, "ends_at": START}, "#/ends_at"),
        ({"host": "ravensburg", "title": "x", "hosts": ["gibt-es-nicht"]}, "#/hosts/0"),
        ({"host": "ravensburg", "title": "x", "series": "gibt-es-nicht"}, "#/series"),
    ],
)
def test_invalid_creates_are_400_problems_and_write_nothing(world, data, pointer):
    count = Event.objects.count()

    response = _post(_editor(world), data)

    assert pointer in _pointers(response)
    assert Event.objects.count() == count


def test_a_non_member_organization_cannot_host(world):
    OrganizationFactory(slug="verein", not_member=True)
    editor = _editor(world)

    assert "#/host" in _pointers(_post(editor, {"host": "verein", "title": "x"}))
    response = _post(editor, {"host": "ravensburg", "title": "x", "hosts": ["verein"]})
    assert "#/hosts" in _pointers(response)
    assert not Event.objects.filter(title="x").exists()


def test_a_list_instead_of_an_object_is_a_400_problem(world):
    assert_problem(_post(_editor(world), [{"host": "ravensburg", "title": "x"}]), 400)


# --- change -------------------------------------------------------------------------------


def test_only_the_given_fields_change_and_lists_are_replaced(world):
    event = world["event"]
    event.topics.set([])
    event.partners.set([world["other"]])

    response = _patch(_editor(world), "treffen", {"summary": "Neu", "partners": []})

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.title, event.summary, event.venue) == (
        "Treffen",
        "Neu",
        "Rathaus Ravensburg, Schwörsaal",
    )
    assert not event.partners.exists()
    assert event.hosts.get() == world["town"]


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"starts_at": "morgen"}, "#/starts_at"),
        ({"starts_at": "2030-05-14T12:00:00"}, "#/starts_at"),
        ({"starts_at": "2030-05-14"}, "#/starts_at"),
        ({"starts_at": 1_800_000_000}, "#/starts_at"),
        ({"starts_at": "9999-12-31T23:00:00-05:00"}, "#/starts_at"),
        ({"ends_at": "2000-01-01T00:00:00+00:00"}, "#/ends_at"),
        (
            {"registration_opens_at": END, "registration_closes_at": START},
            "#/registration_closes_at",
        ),
        ({"titel": "Tippfehler"}, "#/titel"),
        ({"title": None}, "#/title"),
        ({"title": ""}, "#/title"),
        ({"title": "x" * 201}, "#/title"),
        ({"description": "x" * 20_001}, "#/description"),
        ({"capacity_onsite": "viele"}, "#/capacity_onsite"),
        ({"capacity_onsite": -1}, "#/capacity_onsite"),
        ({"capacity_online": 10**20}, "#/capacity_online"),
        ({"reminder_hours_before": 10**9}, "#/reminder_hours_before"),
        ({"format": "zoom"}, "#/format"),
        ({"online_url": "kein link"}, "#/online_url"),
        ({"ask_access_needs": "vielleicht"}, "#/ask_access_needs"),
        ({"topics": "schulen"}, "#/topics"),
        ({"topics": ["schulen", "gibt-es-nicht"]}, "#/topics/1"),
        ({"topics": [{"slug": "schulen"}]}, "#/topics/0"),
        ({"partners": ["konstanz"] * 51}, "#/partners"),
        ({"hosts": []}, "#/hosts"),
        ({"status": EventStatus.CANCELLED}, "#/status"),
        ({"status": "fertig"}, "#/status"),
    ],
)
def test_invalid_changes_are_400_problems_and_change_nothing(world, data, pointer):
    before = _row("treffen")

    response = _patch(_editor(world), "treffen", {"summary": "Mitgeschickt", **data})

    assert pointer in _pointers(response)
    assert _row("treffen") == before


def test_an_object_instead_of_fields_is_a_400_problem(world):
    response = _editor(world).patch(f"{LIST}treffen/", "[]", content_type="application/json")
    assert_problem(response, 400)


def test_capacity_below_the_seats_taken_is_refused_and_nothing_changes(world):
    event = world["event"]
    RegistrationFactory.create_batch(3, event=event)
    before = _row("treffen")

    response = _patch(_editor(world), "treffen", {"capacity_onsite": 2, "title": "Kleiner"})

    assert _pointers(response) == ["#/capacity_onsite"]
    assert "3" in response.json()["errors"][0]["detail"]
    assert _row("treffen") == before


def test_the_format_cannot_drop_a_way_of_attending_people_registered_for(world):
    RegistrationFactory(event=world["event"])  # on site
    before = _row("treffen")

    response = _patch(_editor(world), "treffen", {"format": EventFormat.ONLINE})

    assert _pointers(response) == ["#/format"]
    assert _row("treffen") == before


def test_moving_the_event_away_from_its_timed_program_points_at_the_start(world):
    event = world["event"]
    ProgramItemFactory(
        event=event, starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1)
    )
    before = _row("treffen")
    later = event.starts_at + timedelta(days=1)

    response = _patch(
        _editor(world),
        "treffen",
        {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()},
    )

    assert _pointers(response) == ["#/starts_at"]
    assert _row("treffen") == before


def test_publishing_through_status_makes_the_draft_public(world):
    assert "entwurf" not in [e["slug"] for e in APIClient().get(LIST).json()["results"]]

    response = _patch(_editor(world), "entwurf", {"status": EventStatus.PUBLISHED})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == EventStatus.PUBLISHED
    assert "entwurf" in [e["slug"] for e in APIClient().get(LIST).json()["results"]]
    assert APIClient().get(f"{LIST}entwurf/").status_code == 200


def test_with_registrations_an_event_cannot_become_a_draft_again(world):
    RegistrationFactory(event=world["event"])

    response = _patch(_editor(world), "treffen", {"status": EventStatus.DRAFT})

    assert _pointers(response) == ["#/status"]
    assert Event.objects.get(slug="treffen").status == EventStatus.PUBLISHED


def test_a_cancelled_event_cannot_be_published_again(world):
    EventFactory(hosts=[world["town"]], slug="abgesagt", cancelled=True)

    response = _patch(_editor(world), "abgesagt", {"status": EventStatus.PUBLISHED})

    assert _pointers(response) == ["#/status"]
    assert Event.objects.get(slug="abgesagt").status == EventStatus.CANCELLED


def test_hosts_who_take_their_organization_off_a_draft_get_the_saved_state(world):
    response = _patch(_editor(world), "entwurf", {"hosts": ["konstanz"]})

    assert response.status_code == 200, response.content
    assert response.json()["hosts"] == [{"slug": "konstanz", "name": "Konstanz"}]
    assert _editor(world).get(f"{LIST}entwurf/").status_code == 404


# --- If-Match -----------------------------------------------------------------------------


def test_a_stale_etag_is_412_and_nothing_is_saved(world):
    editor = _editor(world)
    etag = editor.get(f"{LIST}treffen/")["ETag"]
    assert _patch(editor, "treffen", {"summary": "Von jemand anderem"}).status_code == 200
    before = _row("treffen")

    response = _patch(editor, "treffen", {"title": "Überschrieben"}, if_match=etag)

    assert_problem(response, 412)
    assert _row("treffen") == before


def test_the_current_etag_saves_and_the_answer_carries_the_new_one(world):
    editor = _editor(world)
    etag = editor.get(f"{LIST}treffen/")["ETag"]

    response = _patch(editor, "treffen", {"title": "Aktuell"}, if_match=etag)

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Aktuell"
    assert response["ETag"] != etag
    assert response["ETag"] == editor.get(f"{LIST}treffen/")["ETag"]


def test_a_weak_etag_never_matches_a_write(world):
    editor = _editor(world)
    etag = editor.get(f"{LIST}treffen/")["ETag"]

    response = _patch(editor, "treffen", {"title": "Schwach"}, if_match=f"W/{etag}")

    assert_problem(response, 412)
    assert Event.objects.get(slug="treffen").title == "Treffen"


# --- participants are told ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_change_of_time_tells_the_registered_people(outbox):
    town = OrganizationFactory()
    event = EventFactory(hosts=[town], slug="treffen")
    confirmed = RegistrationFactory(event=event)
    RegistrationFactory(event=event, cancelled=True)
    editor = token_client(MembershipFactory(organization=town, editor=True).user)
    mail.outbox.clear()
    later = event.starts_at + timedelta(hours=1)

    response = _patch(
        editor,
        "treffen",
        {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()},
    )

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.starts_at, event.sequence) == (later, 1)
    assert [message.to for message in mail.outbox] == [[confirmed.email]]


@pytest.mark.django_db(transaction=True)
def test_cancelling_tells_everybody_once_and_again_changes_nothing(outbox):
    town = OrganizationFactory()
    event = EventFactory(hosts=[town], slug="treffen")
    registrations = [
        RegistrationFactory(event=event),
        RegistrationFactory(event=event, waitlisted=True),
    ]
    editor = token_client(MembershipFactory(organization=town, editor=True).user)
    mail.outbox.clear()

    response = _cancel(editor, "treffen", {"reason": "Der Saal ist nicht verfügbar."})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in registrations)
    assert "Der Saal ist nicht verfügbar." in mail.outbox[0].body
    sequence = Event.objects.get(slug="treffen").sequence

    again = _cancel(editor, "treffen")

    assert again.status_code == 200
    assert len(mail.outbox) == 2
    assert Event.objects.get(slug="treffen").sequence == sequence


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"grund": "x"}, "#/grund"),
        ({"reason": "x" * 2001}, "#/reason"),
        ({"reason": None}, "#/reason"),
    ],
)
def test_invalid_cancel_bodies_are_400_problems(world, data, pointer):
    response = _cancel(_editor(world), "treffen", data)

    assert pointer in _pointers(response)
    assert Event.objects.get(slug="treffen").status == EventStatus.PUBLISHED


# --- documentation ------------------------------------------------------------------------


def test_the_schema_documents_every_write(api_client):
    paths = api_client.get("/api/schema/?format=json").json()["paths"]

    create = paths["/api/v1/events/"]["post"]
    patch = paths["/api/v1/events/{slug}/"]["patch"]
    cancel = paths["/api/v1/events/{slug}/cancel/"]["post"]
    assert "201" in create["responses"]
    assert {"200", "400", "403", "404", "412"} <= set(patch["responses"])
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert "200" in cancel["responses"]
    for operation in (create, patch, cancel):
        assert operation["summary"] and operation["description"]
        assert "requestBody" in operation
