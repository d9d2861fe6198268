"""Host tools, editing half: create and edit events, cancel, program, materials, outcomes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from initiativek.events.constants import EventStatus, ProgramKind, RegistrationStatus
from initiativek.events.models import ClosingStatement, Event, ProgramItem, ProgramMaterial
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.events.factories import (
    BERLIN,
    ClosingStatementFactory,
    EventFactory,
    ProgramItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\0" * 60


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def host(db):
    """An editor of the hosting organization."""
    return MembershipFactory(editor=True)


@pytest.fixture
def event(host):
    return EventFactory(hosts=[host.organization])


def _local(value):
    return timezone.localtime(value, BERLIN)


def _form_data(event, **overrides):
    """The edit form as the browser would send it for ``event`` unchanged."""
    start, end = _local(event.starts_at), _local(event.ends_at)
    data = {
        "e-title": event.title,
        "e-summary": event.summary,
        "e-description": event.description,
        "e-format": event.format,
        "e-start_date": start.strftime("%Y-%m-%d"),
        "e-start_time": start.strftime("%H:%M"),
        "e-end_time": end.strftime("%H:%M"),
        "e-venue": event.venue,
        "e-venue_address": event.venue_address,
        "e-online_url": event.online_url,
        "e-capacity_onsite": event.capacity_onsite or "",
        "e-capacity_online": event.capacity_online or "",
        "e-waitlist_mode": event.waitlist_mode,
        "e-offer_hold_hours": event.offer_hold_hours,
        "e-reminder_hours_before": event.reminder_hours_before,
        "e-ask_access_needs": "on",
        "e-hosts": [host.pk for host in event.hosts.all()],
        "e-status": event.status,
        "e-version": event.updated_at.isoformat(),
    }
    data.update({f"e-{key}": value for key, value in overrides.items()})
    return data


# Permissions of every host tool


HOST_URLS = ["edit", "cancel", "program", "program-item", "outcomes"]


def _url(name, event):
    if name == "program-item":
        item = ProgramItemFactory(event=event)
        return reverse("events:program-item", kwargs={"slug": event.slug, "pk": item.pk})
    return reverse(f"events:{name}", kwargs={"slug": event.slug})


def _client(role, event):
    organization = event.hosts.get()
    if role == "outsider":
        return client_for(UserFactory())
    if role == "member":
        return client_for(MembershipFactory(organization=organization).user)
    if role == "other_editor":
        return client_for(MembershipFactory(editor=True).user)
    if role == "host_editor":
        return client_for(MembershipFactory(organization=organization, editor=True).user)
    if role == "host_admin":
        return client_for(MembershipFactory(organization=organization, admin=True).user)
    return client_for(UserFactory(is_staff=True))


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOST_URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 403),
        ("member", 403),
        ("other_editor", 403),
        ("host_editor", 200),
        ("host_admin", 200),
        ("team", 200),
    ],
)
def test_host_tools_are_for_host_editors_and_the_team(name, role, status):
    event = EventFactory()
    assert _client(role, event).get(_url(name, event)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOST_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    event = EventFactory()
    response = client.get(_url(name, event))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOST_URLS)
@pytest.mark.parametrize("role", ["outsider", "other_editor", "member"])
def test_drafts_of_others_do_not_exist_for_them(name, role):
    # Members without editor role of the host see no drafts either.
    event = EventFactory(draft=True)
    assert _client(role, event).get(_url(name, event)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("outsider", 403), ("member", 403), ("other_editor", 200), ("team", 200)],
)
def test_create_is_for_editors_of_member_organizations_and_the_team(role, status):
    event = EventFactory()
    assert _client(role, event).get(reverse("events:create")).status_code == status


def test_create_page_sends_anonymous_visitors_to_sign_in(client):
    assert client.get(reverse("events:create")).status_code == 302


# Create and edit


def test_create_makes_a_draft_with_a_free_slug(host):
    EventFactory(slug="erfahrungsaustausch-ulm")
    response = client_for(host.user).post(
        reverse("events:create"),
        {
            "e-host": host.organization.pk,
            "e-title": "Erfahrungsaustausch Ulm",
            "e-format": "hybrid",
            "e-start_date": "2031-03-30",
            "e-start_time": "14:00",
            "e-end_time": "16:30",
            "e-capacity_onsite": "30",
            "e-waitlist_mode": "angebot",
            "e-offer_hold_hours": "48",
            "e-reminder_hours_before": "24",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Erfahrungsaustausch Ulm")
    assert event.status == EventStatus.DRAFT
    assert event.slug == "erfahrungsaustausch-ulm-2"
    assert list(event.hosts.all()) == [host.organization]
    # Across the DST change: 30 March 2031 is summer time in Berlin (UTC+2).
    assert event.starts_at == datetime(2031, 3, 30, 12, tzinfo=UTC)
    assert _local(event.ends_at).strftime("%H:%M") == "16:30"


@pytest.mark.parametrize("title", ["Neu", "Kalender", "Feed"])
def test_create_never_takes_a_reserved_address(host, title):
    client_for(host.user).post(
        reverse("events:create"),
        {"e-host": host.organization.pk, "e-title": title, "e-format": "online", "e-undated": "on",
         "e-waitlist_mode": "angebot", "e-offer_hold_hours": "48", "e-reminder_hours_before": "24"},
    )  # fmt: skip
    event = Event.objects.get(title=title)
    assert event.slug == f"{title.lower()}-2"
    assert event.starts_at is None


def test_create_for_an_organization_one_does_not_edit_is_refused(host):
    other = OrganizationFactory()
    response = client_for(host.user).post(
        reverse("events:create"), {"e-host": other.pk, "e-title": "Fremd", "e-undated": "on"}
    )
    assert response.status_code == 200
    assert not Event.objects.filter(title="Fremd").exists()


def test_edit_with_capacity_below_confirmed_seats_is_refused_and_nothing_changes(host, event):
    RegistrationFactory.create_batch(3, event=event)
    response = client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}),
        _form_data(event, capacity_onsite="2", title="Neuer Titel"),
    )
    assert response.status_code == 200
    assert "Es sind bereits 3 Plätze vergeben" in response.content.decode()
    assert "Neuer Titel" in response.content.decode()  # the input is kept
    event.refresh_from_db()
    assert (event.capacity_onsite, event.title) == (20, event.title)
    assert event.title != "Neuer Titel"


def test_raising_capacity_moves_the_waiting_list_up(host, event):
    event.capacity_onsite = 1
    event.save()
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, waitlisted=True)
    response = client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}), _form_data(event, capacity_onsite="2")
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_edit_over_a_newer_version_is_refused_and_keeps_the_input(host, event):
    data = _form_data(event, title="Meine Fassung")
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    response = client_for(host.user).post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 200
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    assert "Meine Fassung" in response.content.decode()
    event.refresh_from_db()
    assert event.title != "Meine Fassung"


def test_an_event_keeps_at_least_one_host(host, event):
    data = _form_data(event)
    data["e-hosts"] = []
    response = client_for(host.user).post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 200
    assert list(event.hosts.all()) == [host.organization]


def test_only_member_organizations_can_host(host, event):
    data = _form_data(event)
    data["e-hosts"] = [OrganizationFactory(not_member=True).pk]
    response = client_for(host.user).post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 200
    assert list(event.hosts.all()) == [host.organization]


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_date": "kein Datum"},
        {"start_time": "25:99"},
        {"end_time": "11:00"},
        {"capacity_onsite": "-4"},
        {"capacity_online": "viele"},
        {"format": "teleportation"},
        {"status": "abgesagt"},
        {"online_url": "javascript:alert(1)"},
        {"registration_opens_at": "gestern"},
        {"hosts": ["x"]},
        {"version": "alt"},
    ],
)
def test_bad_input_in_the_edit_form_gives_a_message_not_an_error(host, event, overrides):
    before = Event.objects.values().get(pk=event.pk)
    response = client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}), _form_data(event, **overrides)
    )
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Angaben" in response.content.decode()
    assert Event.objects.values().get(pk=event.pk) == before


@pytest.mark.django_db(transaction=True)
def test_a_time_change_bumps_the_sequence_and_tells_participants(outbox):
    host = MembershipFactory(editor=True)
    event = EventFactory(hosts=[host.organization])
    confirmed = RegistrationFactory(event=event)
    RegistrationFactory(event=event, cancelled=True)
    mail.outbox.clear()
    response = client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}),
        _form_data(event, start_time="13:00", end_time="15:00"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert _local(event.starts_at).strftime("%H:%M") == "13:00"
    assert [message.to for message in mail.outbox] == [[confirmed.email]]


def test_a_change_of_the_description_only_does_not_bump_the_sequence(host, event):
    client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}), _form_data(event, description="Neu")
    )
    event.refresh_from_db()
    assert (event.description, event.sequence) == ("Neu", 0)


# Cancel


@pytest.mark.django_db(transaction=True)
def test_cancel_sets_the_status_and_tells_everybody(outbox):
    host = MembershipFactory(editor=True)
    event = EventFactory(hosts=[host.organization])
    registrations = [
        RegistrationFactory(event=event),
        RegistrationFactory(event=event, waitlisted=True),
    ]
    mail.outbox.clear()
    url = reverse("events:cancel", kwargs={"slug": event.slug})
    assert client_for(host.user).get(url).status_code == 200
    response = client_for(host.user).post(url, {"c-reason": "Der Saal ist nicht verfügbar."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in registrations)
    assert "Der Saal ist nicht verfügbar." in mail.outbox[0].body


def test_a_cancelled_event_cannot_be_published_again_through_the_form(host):
    event = EventFactory(hosts=[host.organization], cancelled=True)
    client_for(host.user).post(
        reverse("events:edit", kwargs={"slug": event.slug}),
        _form_data(event, status=EventStatus.PUBLISHED, title="Anders"),
    )
    event.refresh_from_db()
    assert (event.status, event.title) == (EventStatus.CANCELLED, "Anders")


# Program


def _item_data(**overrides):
    data = {"p-kind": ProgramKind.TALK, "p-title": "Smart Parking", "p-new_role": "referent"}
    data.update({f"p-{key}": value for key, value in overrides.items()})
    return data


def test_add_item_with_times_people_and_projects(host, event):
    speaker = SpeakerFactory()
    project = ProjectFactory()
    data = _item_data(
        start_time="12:15",
        end_time="12:45",
        speakers=[speaker.pk],
        new_name="Katharina Biethinger",
        new_function="Digitalisierung",
        new_organization_name="Stadt Ludwigsburg",
        new_role="moderation",
    )
    data["p-projects"] = [project.pk]
    response = client_for(host.user).post(
        reverse("events:program", kwargs={"slug": event.slug}), data
    )
    assert response.status_code == 302, response.context["form"].errors
    item = ProgramItem.objects.get(event=event)
    assert _local(item.starts_at).strftime("%H:%M") == "12:15"
    people = [(p.speaker.name, p.role) for p in item.people.select_related("speaker")]
    assert people == [(speaker.name, "referent"), ("Katharina Biethinger", "moderation")]
    assert list(item.projects.all()) == [project]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("12:30", "12:15", "Das Ende muss nach dem Beginn liegen."),
        ("11:00", "11:30", "innerhalb der Veranstaltung"),
        ("13:30", "14:30", "innerhalb der Veranstaltung"),
        ("", "12:30", "Bitte geben Sie auch den Beginn an."),
        ("zwölf", "", "Uhrzeit im Format HH:MM"),
    ],
)
def test_program_item_times_must_fit_the_event(host, event, start, end, message):
    response = client_for(host.user).post(
        reverse("events:program", kwargs={"slug": event.slug}),
        _item_data(start_time=start, end_time=end),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgramItem.objects.exists()


def test_items_of_an_undated_event_have_no_times(host):
    event = EventFactory(hosts=[host.organization], undated=True)
    url = reverse("events:program", kwargs={"slug": event.slug})
    response = client_for(host.user).post(url, _item_data(start_time="12:00"))
    assert response.status_code == 200
    assert not ProgramItem.objects.exists()
    assert client_for(host.user).post(url, _item_data()).status_code == 302
    assert ProgramItem.objects.get().starts_at is None


def test_items_move_up_and_down(host, event):
    first, second, third = (ProgramItemFactory(event=event) for _ in range(3))
    url = reverse("events:program", kwargs={"slug": event.slug})
    client_for(host.user).post(url, {"move": third.pk, "direction": "up"})
    assert list(event.program.all()) == [first, third, second]
    client_for(host.user).post(url, {"move": first.pk, "direction": "down"})
    assert list(event.program.all()) == [third, first, second]


def test_edit_and_delete_an_item(host, event):
    item = ProgramItemFactory(event=event, title="Alt")
    url = reverse("events:program-item", kwargs={"slug": event.slug, "pk": item.pk})
    client = client_for(host.user)
    response = client.post(url, {**_item_data(title="Neu"), "save": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Neu"
    assert "Endgültig löschen" in client.get(url, {"loeschen": "1"}).content.decode()
    assert ProgramItem.objects.filter(pk=item.pk).exists()
    assert client.post(url, {"delete_item": "1"}).status_code == 302
    assert not ProgramItem.objects.filter(pk=item.pk).exists()


def test_items_of_other_events_are_not_found(host, event):
    other = ProgramItemFactory()
    url = reverse("events:program-item", kwargs={"slug": event.slug, "pk": other.pk})
    assert client_for(host.user).get(url).status_code == 404


# Materials


def _upload(client, item, name, content):
    url = reverse("events:program-item", kwargs={"slug": item.event.slug, "pk": item.pk})
    return client.post(
        url, {"upload": "1", "m-title": "Folien", "m-file": SimpleUploadedFile(name, content)}
    )


def test_material_upload_and_public_download(host, event, client):
    item = ProgramItemFactory(event=event)
    assert _upload(client_for(host.user), item, "folien.pdf", PDF).status_code == 302
    material = ProgramMaterial.objects.get()
    assert (material.content_type, material.size) == ("application/pdf", len(PDF))
    download = client.get(material.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_disguised_executable_is_refused(host, event):
    item = ProgramItemFactory(event=event)
    response = _upload(client_for(host.user), item, "folien.pdf", EXE)
    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt" in response.content.decode()
    assert not ProgramMaterial.objects.exists()


def test_materials_of_drafts_are_not_served_to_others(host, client):
    item = ProgramItemFactory(event=EventFactory(hosts=[host.organization], draft=True))
    _upload(client_for(host.user), item, "folien.pdf", PDF)
    material = ProgramMaterial.objects.get()
    assert client.get(material.get_absolute_url()).status_code == 404
    assert client_for(host.user).get(material.get_absolute_url()).status_code == 200


def test_material_delete(host, event):
    item = ProgramItemFactory(event=event)
    client = client_for(host.user)
    _upload(client, item, "folien.pdf", PDF)
    material = ProgramMaterial.objects.get()
    url = reverse("events:program-item", kwargs={"slug": event.slug, "pk": item.pk})
    assert client.post(url, {"delete_material": material.pk}).status_code == 302
    assert not ProgramMaterial.objects.exists()


# Outcomes


def test_closing_statements_are_saved_and_shown_publicly(host, event, client):
    speaker_org = OrganizationFactory(name="Stadt Herrenberg")
    url = reverse("events:outcomes", kwargs={"slug": event.slug})
    response = client_for(host.user).post(
        url, {"statement": "1", "s-organization": speaker_org.pk, "s-text": "Wir sind dabei."}
    )
    assert response.status_code == 302
    statement = ClosingStatement.objects.get()
    assert (statement.organization, statement.text) == (speaker_org, "Wir sind dabei.")
    assert statement.created_by == host.user


def test_the_report_is_public_only_after_publishing(host, event, client):
    from django.template.loader import render_to_string

    url = reverse("events:outcomes", kwargs={"slug": event.slug})
    client_for(host.user).post(url, {"report": "1", "r-report": "Ein **guter** Austausch."})
    event.refresh_from_db()
    assert event.report == "Ein **guter** Austausch."
    assert event.report_published_at is None
    assert "guter" not in render_to_string("events/_outcomes.html", {"event": event})
    client_for(host.user).post(url, {"report": "1", "r-report": event.report, "r-published": "on"})
    event.refresh_from_db()
    assert event.report_published_at is not None
    assert "<strong>guter</strong>" in render_to_string("events/_outcomes.html", {"event": event})


def test_an_empty_report_cannot_be_published(host, event):
    url = reverse("events:outcomes", kwargs={"slug": event.slug})
    response = client_for(host.user).post(
        url, {"report": "1", "r-report": " ", "r-published": "on"}
    )
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.report_published_at is None


def test_statements_can_be_deleted_and_bad_input_is_refused(host, event):
    statement = ClosingStatementFactory(event=event)
    url = reverse("events:outcomes", kwargs={"slug": event.slug})
    client = client_for(host.user)
    response = client.post(url, {"statement": "1", "s-organization": "999999", "s-text": ""})
    assert response.status_code == 200
    assert client.post(url, {"delete_statement": "999999"}).status_code == 404
    assert client.post(url, {"delete_statement": statement.pk}).status_code == 302
    assert not ClosingStatement.objects.exists()


@pytest.mark.django_db
def test_hosts_correct_speaker_details_and_others_cannot(client):
    from tests.accounts.factories import UserFactory
    from tests.events.factories import EventFactory, ProgramItemFactory, SpeakerFactory
    from tests.organizations.factories import MembershipFactory

    event = EventFactory()
    speaker = SpeakerFactory(name="Dirk Bastin", function="Bürgermeister")
    ProgramItemFactory(event=event, speakers=[speaker])
    host = MembershipFactory(organization=event.hosts.get(), editor=True).user
    url = f"/veranstaltungen/{event.slug}/mitwirkende/"
    data = {
        "speaker": speaker.pk,
        f"s{speaker.pk}-name": "Dirk Bastin",
        f"s{speaker.pk}-function": "Oberbürgermeister",
        f"s{speaker.pk}-organization": "",
        f"s{speaker.pk}-organization_name": "",
    }
    client.force_login(UserFactory())
    assert client.post(url, data).status_code == 403
    client.force_login(host)
    assert "Dirk Bastin" in client.get(url).content.decode()
    assert client.post(url, data).status_code == 302
    speaker.refresh_from_db()
    assert speaker.function == "Oberbürgermeister"
    other = SpeakerFactory()
    assert client.post(url, {**data, "speaker": other.pk}).status_code == 403


@pytest.mark.django_db
def test_moving_the_event_away_from_its_timed_program_is_refused():
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    from initiativek.events import services_host
    from tests.events.factories import EventFactory, ProgramItemFactory
    from tests.organizations.factories import MembershipFactory

    event = EventFactory()
    ProgramItemFactory(
        event=event,
        title="Begrüßung",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(minutes=15),
    )
    host = MembershipFactory(organization=event.hosts.get(), editor=True).user
    later = {
        "starts_at": event.starts_at + timedelta(days=1),
        "ends_at": event.ends_at + timedelta(days=1),
    }
    with pytest.raises(ValidationError, match="Begrüßung"):
        services_host.event_edit(event=event, actor=host, data=later, relations={})
    event.refresh_from_db()
    assert event.sequence == 0  # nothing changed
