"""Host tools for participants: overview, list and check-in, exports, message (SPEC §2, §5)."""

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from initiativek.core.models import AuditEntry
from initiativek.events.constants import AttendanceMode, RegistrationStatus
from initiativek.events.exports import safe_cell
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL_NAMES = ["events:host", "events:participants", "events:export-csv", "events:export-xlsx"]
URL_NAMES += ["events:message"]


@pytest.fixture
def host_org():
    return OrganizationFactory(name="Stadt Ravensburg")


@pytest.fixture
def event(host_org):
    return EventFactory(hosts=[host_org], slug="ravensburg")


@pytest.fixture
def host(host_org):
    return MembershipFactory(organization=host_org, editor=True).user


def _url(name, event):
    return reverse(name, kwargs={"slug": event.slug})


def _user_for(role, event, host_org):
    if role == "outsider":
        return UserFactory()
    if role == "member":
        return MembershipFactory(organization=host_org).user
    if role == "other_editor":
        return MembershipFactory(editor=True).user
    if role == "participant":
        user = UserFactory()
        RegistrationFactory(event=event, user=user, email=user.email, name=user.name)
        return user
    if role == "host":
        return MembershipFactory(organization=host_org, editor=True).user
    if role == "host_admin":
        return MembershipFactory(organization=host_org, admin=True).user
    if role == "team":
        return UserFactory(is_staff=True)
    raise AssertionError(role)


# One matrix over every URL and role: personal data only for hosts and the team.


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 403),
        ("member", 403),
        ("other_editor", 403),
        ("participant", 403),
        ("host", 200),
        ("host_admin", 200),
        ("team", 200),
    ],
)
def test_permission_matrix(client, event, host_org, name, role, expected):
    RegistrationFactory(
        event=event, name="Gudrun Geheim", email="gudrun@example.org", access_needs="Rampe"
    )
    response = client_for(_user_for(role, event, host_org)).get(_url(name, event))

    assert response.status_code == expected
    if expected == 403:
        assert b"gudrun@example.org" not in response.content
        assert b"Rampe" not in response.content


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_is_sent_to_login(client, event, name):
    response = client.get(_url(name, event))

    assert response.status_code == 302
    assert "/login/" in response["Location"] or "anmelden" in response["Location"]


@pytest.mark.parametrize("name", URL_NAMES)
def test_draft_event_is_not_found_for_outsiders_but_open_to_its_host(host_org, name):
    draft = EventFactory(hosts=[host_org], draft=True)

    assert client_for(UserFactory()).get(_url(name, draft)).status_code == 404
    host = MembershipFactory(organization=host_org, editor=True).user
    assert client_for(host).get(_url(name, draft)).status_code == 200


@pytest.mark.parametrize("role", ["outsider", "participant", "member"])
def test_check_in_and_message_posts_are_refused_to_non_hosts(event, host_org, role):
    registration = RegistrationFactory(event=event)
    client = client_for(_user_for(role, event, host_org))

    check_in = client.post(
        _url("events:participants", event), {"registration": registration.pk, "attended": "1"}
    )
    message = client.post(_url("events:message", event), {"subject": "Hallo", "text": "Text"})

    assert check_in.status_code == message.status_code == 403
    registration.refresh_from_db()
    assert registration.attended_at is None


# Dashboard and list


def test_dashboard_counts_per_mode_and_status(client, event, host):
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, attended_at="2030-01-01T12:00:00+01:00")
    RegistrationFactory(event=event, waitlisted=True)
    RegistrationFactory(event=event, online=True, pending=True)
    RegistrationFactory(event=event, online=True, offered=True)
    RegistrationFactory(event=event, cancelled=True)

    response = client_for(host).get(_url("events:host", event))

    counts = {row.mode: row for row in response.context["counts"]}
    onsite, online = counts[AttendanceMode.ONSITE], counts[AttendanceMode.ONLINE]
    assert (onsite.confirmed, onsite.waitlisted, onsite.attended) == (3, 1, 1)
    assert (online.confirmed, online.pending, online.offered) == (0, 1, 1)
    seats = {seat["mode"]: seat["left"] for seat in response.context["seats"]}
    assert seats == {AttendanceMode.ONSITE: 17, AttendanceMode.ONLINE: 49}
    body = response.content.decode()
    for name in ["events:edit", "events:program", "events:outcomes", "events:cancel"]:
        assert _url(name, event) in body
    assert _url("events:export-xlsx", event) in body
    assert event.get_absolute_url() in body


def test_participant_list_shows_personal_data_and_waitlist_positions(client, event, host):
    RegistrationFactory(event=event, name="Anna Amsel", access_needs="Untertitel bitte")
    first = RegistrationFactory(event=event, name="Bernd Berg", waitlisted=True)
    second = RegistrationFactory(event=event, name="Clara Cello", waitlisted=True)

    response = client_for(host).get(_url("events:participants", event))

    body = response.content.decode()
    assert "Untertitel bitte" in body
    assert first.email in body
    ranks = {r.pk: r.waitlist_rank for r in response.context["registrations"]}
    assert (ranks[first.pk], ranks[second.pk]) == (1, 2)


def test_participant_list_filters_by_status_and_mode(client, event, host):
    onsite = RegistrationFactory(event=event)
    online = RegistrationFactory(event=event, online=True)
    waiting = RegistrationFactory(event=event, online=True, waitlisted=True)
    client = client_for(host)
    url = _url("events:participants", event)

    def shown(query):
        return list(client.get(url, query).context["registrations"])

    assert shown({"mode": AttendanceMode.ONLINE}) == [online, waiting]
    assert shown({"status": RegistrationStatus.WAITLISTED}) == [waiting]
    assert shown({"status": RegistrationStatus.CONFIRMED, "mode": AttendanceMode.ONSITE}) == [
        onsite
    ]
    assert shown({"status": "quatsch", "mode": "<x>"}) == [onsite, online, waiting]


def test_participant_list_query_count_does_not_grow_with_registrations(client, event, host):
    client = client_for(host)
    url = _url("events:participants", event)
    RegistrationFactory.create_batch(2, event=event, organization=OrganizationFactory())
    client.get(url)  # warm up session and content types

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    RegistrationFactory.create_batch(20, event=event, organization=OrganizationFactory())
    RegistrationFactory.create_batch(5, event=event, waitlisted=True)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
    assert len(many) <= 13  # incl. the prefetch of closing statements


# Check-in


def test_check_in_marks_and_unmarks_attendance(client, event, host):
    registration = RegistrationFactory(event=event)
    client = client_for(host)
    url = _url("events:participants", event)

    response = client.post(url, {"registration": registration.pk, "attended": "1"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None
    assert response["Location"] == f"{url}#anmeldung-{registration.pk}"
    entry = AuditEntry.objects.get(action="events.registration.attended")
    assert entry.actor == host
    assert entry.object_id == str(registration.pk)

    response = client.post(
        url,
        {"registration": registration.pk, "attended": "0", "query": "mode=online&x=\r\nevil"},
    )
    assert response["Location"] == f"{url}?mode=online#anmeldung-{registration.pk}"
    registration.refresh_from_db()
    assert registration.attended_at is None


@pytest.mark.parametrize("trait", ["waitlisted", "pending", "offered", "cancelled"])
def test_check_in_refuses_registrations_that_are_not_confirmed(client, event, host, trait):
    registration = RegistrationFactory(event=event, **{trait: True})

    response = client_for(host).post(
        _url("events:participants", event),
        {"registration": registration.pk, "attended": "1"},
        follow=True,
    )

    registration.refresh_from_db()
    assert registration.attended_at is None
    assert "Nur bestätigte Anmeldungen" in response.content.decode()
    assert not AuditEntry.objects.filter(action="events.registration.attended").exists()


def test_check_in_of_another_events_registration_or_garbage_is_not_found(client, event, host):
    foreign = RegistrationFactory()
    client = client_for(host)
    url = _url("events:participants", event)

    assert client.post(url, {"registration": foreign.pk, "attended": "1"}).status_code == 404
    assert client.post(url, {"registration": "x", "attended": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.attended_at is None


# Exports


def _csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_is_excel_friendly_and_guards_against_formulas(client, event, host):
    RegistrationFactory(
        event=event,
        name='=HYPERLINK("http://böse.example")',
        organization_name="+49 Amt; Süd",
        access_needs="@Rollstuhl",
        listed=True,
    )
    RegistrationFactory(event=event, name="-1+1", waitlisted=True)

    response = client_for(host).get(_url("events:export-csv", event))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="teilnehmende-ravensburg.csv"' in response["Content-Disposition"]
    header, first, second = _csv_rows(response)
    assert header[0] == "Name" and header[2] == "E-Mail-Adresse"
    assert first[0] == '\'=HYPERLINK("http://böse.example")'
    assert first[1] == "'+49 Amt; Süd"
    assert first[3:5] == ["vor Ort", "bestätigt"]
    assert first[7:9] == ["ja", "'@Rollstuhl"]
    assert second[0] == "'-1+1" and second[4] == "Warteliste"
    entry = AuditEntry.objects.get(action="events.participants.exported")
    assert entry.data == {"format": "csv", "rows": 2}


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Stadt Ulm") == "Stadt Ulm"
    assert safe_cell("") == ""
    assert safe_cell("=1+1") == "'=1+1"


def test_xlsx_export_is_readable_with_a_bold_frozen_header(client, event, host):
    RegistrationFactory(event=event, name="Anna Amsel", email="anna@example.org")
    RegistrationFactory(event=event, name="=1+1", online=True, attended_at="2030-01-01T12:00Z")

    response = client_for(host).get(_url("events:export-xlsx", event))

    assert 'filename="teilnehmende-ravensburg.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Name", "Organisation", "E-Mail-Adresse"]
    assert rows[1][:4] == ["Anna Amsel", None, "anna@example.org", "vor Ort"]
    assert rows[2][0] == "'=1+1" and rows[2][6] == "01.01.2030 13:00"
    assert len(rows) == 3
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert AuditEntry.objects.filter(action="events.participants.exported").count() == 1


# Message


@pytest.mark.django_db(transaction=True)
def test_message_reaches_only_confirmed_participants_each_by_name(event, host):
    mail.outbox = []
    anna = RegistrationFactory(event=event, name="Anna Amsel")
    bernd = RegistrationFactory(event=event, name="Bernd Berg", online=True)
    for trait in ["waitlisted", "pending", "offered", "cancelled"]:
        RegistrationFactory(event=event, **{trait: True})
    RegistrationFactory(name="Andere Veranstaltung")

    response = client_for(host).post(
        _url("events:message", event),
        {"subject": "Raumänderung", "text": "Wir treffen uns im Schwörsaal & <Foyer>."},
        follow=True,
    )

    assert "2 bestätigte Personen" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([anna.email, bernd.email])
    to_anna = next(message for message in mail.outbox if message.to == [anna.email])
    assert "Guten Tag Anna Amsel" in to_anna.body
    assert "Wir treffen uns im Schwörsaal & <Foyer>." in to_anna.body
    assert "Raumänderung" in to_anna.subject
    assert to_anna.reply_to == [host.email]
    entry = AuditEntry.objects.get(action="events.message.sent")
    assert entry.data["recipients"] == 2


def test_message_without_subject_or_text_keeps_the_input_and_sends_nothing(event, host):
    mail.outbox = []
    RegistrationFactory(event=event)

    response = client_for(host).post(
        _url("events:message", event), {"subject": "  ", "text": "Bitte Ausweis mitbringen"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Bitte geben Sie einen Betreff ein." in body
    assert "Bitte Ausweis mitbringen" in body
    assert not AuditEntry.objects.filter(action="events.message.sent").exists()

    response = client_for(host).post(_url("events:message", event), {"subject": "Hallo"})
    assert "Bitte geben Sie einen Text ein." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_xlsx_export_never_contains_formulas_even_with_control_characters():
    import io

    from openpyxl import load_workbook

    from initiativek.events.exports import participant_header, participants_xlsx, safe_cell

    values = [safe_cell("\x01=HYPERLINK(1)"), " =1+1", "@SUM(A1)", "harmlos"]
    rows = [(values * 10)[: len(participant_header())]]
    workbook = load_workbook(io.BytesIO(participants_xlsx(rows, title="Test")))
    cells = next(workbook.active.iter_rows(min_row=2, values_only=False))
    assert all(cell.data_type == "s" for cell in cells)
    assert all(not str(cell.value).startswith("=") for cell in cells)
