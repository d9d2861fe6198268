from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from initiativek.events import services
from initiativek.events.constants import PRIVACY_TEXT_VERSION
from initiativek.events.models import Event, Registration
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory


def _event(**overrides) -> Event:
    values = {
        "title": "Hybrides Treffen",
        "slug": f"treffen-{Event.objects.count()}",
        "format": "hybrid",
        "status": "veroeffentlicht",
        "starts_at": timezone.now() + timedelta(days=7),
        "ends_at": timezone.now() + timedelta(days=7, hours=2),
        "capacity_onsite": 2,
        "capacity_online": 50,
        "online_url": "https://konferenz.example.org/geheim",
        "venue": "Rathaus",
    }
    values.update(overrides)
    return Event.objects.create(**values)


def _register(event, number, mode="vor_ort", **kwargs):
    return services.registration_create(
        event=event,
        name=f"Person {number}",
        email=f"p{number}@example.org",
        mode=mode,
        email_verified=True,
        **kwargs,
    )


def _guest_post(client, event, **overrides):
    data = {
        "r-name": "Gabi Gast",
        "r-email": "gabi@example.org",
        "r-organization_name": "Stadtwerke Beispiel",
        "r-mode": "online",
        "r-privacy": "on",
    }
    data.update(overrides)
    return client.post(reverse("events:register", kwargs={"slug": event.slug}), data)


@pytest.mark.django_db(transaction=True)
def test_guest_double_opt_in(client):
    event = _event()
    mail.outbox = []
    response = _guest_post(client, event)
    registration = Registration.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert registration.status == "unbestaetigt"
    assert registration.privacy_text_version == PRIVACY_TEXT_VERSION
    assert registration.privacy_consent_at is not None
    confirm_url = reverse("events:registration-confirm", args=[registration.token])
    assert confirm_url in mail.outbox[0].body
    assert "geheim" not in mail.outbox[0].body  # no online link before confirmation
    assert client.get(confirm_url).status_code == 200  # a link scanner changes nothing
    registration.refresh_from_db()
    assert registration.status == "unbestaetigt"
    client.post(confirm_url)
    registration.refresh_from_db()
    assert registration.status == "bestaetigt"
    confirmation = mail.outbox[-1]
    assert "https://konferenz.example.org/geheim" in confirmation.body
    assert confirmation.attachments[0][0].endswith(".ics")
    assert confirmation.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_expired_or_tampered_confirmation_link_is_refused():
    event = _event()
    registration = services.registration_create(
        event=event, name="G", email="g@example.org", mode="online"
    )
    Registration.objects.filter(pk=registration.pk).update(
        confirm_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="abgelaufen"):
        services.registration_confirm_email(token=registration.token)
    with pytest.raises(ValidationError, match="ungültig"):
        services.registration_confirm_email(token="gefälscht")
    registration.refresh_from_db()
    assert registration.status == "unbestaetigt"


@pytest.mark.django_db
def test_member_is_confirmed_at_once_with_prefilled_data(user):
    event = _event()
    membership = MembershipFactory(user=user)
    response = client_for(user).post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {"r-mode": "vor_ort", "r-privacy": "on"},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert (registration.status, registration.email) == ("bestaetigt", user.email)
    assert registration.organization == membership.organization


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_overrides", "post_overrides", "message"),
    [
        ({"status": "abgesagt"}, {}, "abgesagt"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, {}, "geschlossen"),
        ({}, {"r-email": "kein-at"}, "gültige E-Mail-Adresse"),
        ({}, {"r-privacy": ""}, "Ohne Ihre Einwilligung"),
        ({"format": "online"}, {"r-mode": "vor_ort"}, "keine gültige Auswahl"),
    ],
)
def test_bad_registrations_get_a_clear_message_and_change_nothing(
    client, event_overrides, post_overrides, message
):
    event = _event(**event_overrides)
    response = _guest_post(client, event, **post_overrides)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if event.status == "veroeffentlicht" and not event.registration_closes_at:
        assert 'value="Gabi Gast"' in body  # the form is shown again with the input
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_draft_events_cannot_be_registered_for(client):
    event = _event(status="entwurf")
    assert _guest_post(client, event).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_one_registration_per_email_and_event():
    event = _event()
    _register(event, 1)
    with pytest.raises(ValidationError, match="bereits eine Anmeldung"):
        services.registration_create(
            event=event, name="X", email="P1@example.org", mode="online", email_verified=True
        )


@pytest.mark.django_db
def test_waiting_list_in_order_and_automatic_move_up():
    event = _event(waitlist_mode="automatisch")
    first, second = _register(event, 1), _register(event, 2)
    third, fourth = _register(event, 3), _register(event, 4)
    assert [r.status for r in (first, second, third, fourth)] == [
        "bestaetigt",
        "bestaetigt",
        "warteliste",
        "warteliste",
    ]
    services.registration_cancel(token=first.token)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("bestaetigt", "warteliste")


@pytest.mark.django_db
def test_offered_seat_is_held_then_passed_on():
    event = _event(waitlist_mode="angebot", offer_hold_hours=48)
    first = _register(event, 1)
    _register(event, 2)
    third, fourth = _register(event, 3), _register(event, 4)
    services.registration_cancel(token=first.token)
    third.refresh_from_db()
    assert third.status == "angeboten"
    assert third.offered_until > timezone.now() + timedelta(hours=47)
    # a newcomer does not take the held seat
    assert _register(event, 5).status == "warteliste"
    Registration.objects.filter(pk=third.pk).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    assert services.waitlist_expire_offers() == 1
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("storniert", "angeboten")
    services.registration_accept_offer(token=fourth.token)
    fourth.refresh_from_db()
    assert fourth.status == "bestaetigt"


@pytest.mark.django_db
def test_raising_capacity_gives_seats_to_the_waiting_list(team_user):
    event = _event(waitlist_mode="automatisch")
    for number in range(4):
        _register(event, number)
    services.event_set_capacity(event=event, actor=team_user, capacity_onsite=3, capacity_online=50)
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["bestaetigt", "bestaetigt", "bestaetigt", "warteliste"]
    with pytest.raises(ValidationError, match="bereits 3 Plätze vergeben"):
        services.event_set_capacity(
            event=event, actor=team_user, capacity_onsite=1, capacity_online=50
        )


@pytest.mark.django_db
def test_switch_mode_only_while_seats_are_free():
    event = _event(capacity_online=1)
    onsite = _register(event, 1)
    _register(event, 2, mode="online")
    with pytest.raises(ValidationError, match="kein Platz"):
        services.registration_switch_mode(token=onsite.token, mode="online")
    other = _register(event, 3, mode="online")  # waitlisted online
    assert other.status == "warteliste"
    services.registration_switch_mode(token=other.token, mode="vor_ort")
    other.refresh_from_db()
    # a free on-site seat goes to the person who switched (offered, as the event says)
    assert (other.mode, other.status) == ("vor_ort", "angeboten")


@pytest.mark.django_db
def test_seat_limit_per_organization():
    event = _event(seats_per_organization=1, capacity_onsite=10)
    town = MembershipFactory().organization
    _register(event, 1, organization=town)
    with pytest.raises(ValidationError, match="je Organisation"):
        _register(event, 2, organization=town)


@pytest.mark.django_db
def test_online_link_only_for_confirmed_online_participants(client):
    event = _event(capacity_online=1)
    confirmed = _register(event, 1, mode="online")
    waiting = _register(event, 2, mode="online")
    assert "geheim" not in client.get(event.get_absolute_url()).content.decode()
    assert (
        "geheim"
        in client.get(reverse("events:registration", args=[confirmed.token])).content.decode()
    )
    assert (
        "geheim"
        not in client.get(reverse("events:registration", args=[waiting.token])).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_failing_mail_server_never_loses_a_registration(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    event = _event()
    registration = _register(event, 1)
    assert Registration.objects.filter(pk=registration.pk, status="bestaetigt").exists()
    from initiativek.core.models import OutgoingMail

    stored = OutgoingMail.objects.get()
    assert (stored.status, stored.attempts) == ("queued", 1)


@pytest.mark.django_db(transaction=True)
def test_changed_time_and_cancellation_are_mailed():
    event = _event()
    registration = _register(event, 1, mode="online")
    mail.outbox = []
    services.event_update(
        event=event,
        actor=None,
        data={
            "starts_at": event.starts_at + timedelta(hours=1),
            "ends_at": event.ends_at + timedelta(hours=1),
        },
    )
    event.refresh_from_db()
    assert event.sequence == 1
    assert mail.outbox[-1].to == [registration.email]
    assert "Geändert" in mail.outbox[-1].subject
    services.event_cancel(event=event, actor=None, reason="Krankheit")
    assert "Abgesagt" in mail.outbox[-1].subject
    assert "Krankheit" in mail.outbox[-1].body


@pytest.mark.django_db(transaction=True)
def test_reminders_go_out_once_before_the_start():
    event = _event(
        starts_at=timezone.now() + timedelta(hours=5),
        ends_at=timezone.now() + timedelta(hours=7),
        reminder_hours_before=24,
    )
    _register(event, 1)
    mail.outbox = []
    assert services.event_send_reminders() == 1
    assert services.event_send_reminders() == 0
    assert "Erinnerung" in mail.outbox[-1].subject


@pytest.mark.django_db(transaction=True)
def test_mails_follow_the_language_of_the_person():
    event = _event()
    mail.outbox = []
    services.registration_create(
        event=event,
        name="Eve",
        email="eve@example.org",
        mode="online",
        email_verified=True,
        language="en",
    )
    assert "Registration confirmed" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_waiting_person_switching_does_not_jam_the_other_queue():
    event = _event(capacity_onsite=5, capacity_online=1, waitlist_mode="automatisch")
    _register(event, 1, mode="online")
    waiting = _register(event, 2, mode="online")
    assert waiting.status == "warteliste"
    services.registration_switch_mode(token=waiting.token, mode="vor_ort")
    waiting.refresh_from_db()
    assert (waiting.mode, waiting.status) == ("vor_ort", "bestaetigt")
    assert _register(event, 3).status == "bestaetigt"  # free on-site seats stay free for others


@pytest.mark.django_db
def test_nobody_moves_up_on_a_cancelled_event():
    event = _event(waitlist_mode="angebot")
    first = _register(event, 1)
    _register(event, 2)
    waiting = _register(event, 3)
    services.event_cancel(event=event, actor=None)
    services.registration_cancel(token=first.token)
    waiting.refresh_from_db()
    assert waiting.status == "warteliste"


@pytest.mark.django_db
def test_expired_confirmation_does_not_block_registering_again():
    event = _event()
    stale = services.registration_create(
        event=event, name="G", email="g@example.org", mode="online"
    )
    Registration.objects.filter(pk=stale.pk).update(
        confirm_expires_at=timezone.now() - timedelta(minutes=1)
    )
    fresh = services.registration_create(
        event=event, name="G", email="g@example.org", mode="online"
    )
    assert fresh.status == "unbestaetigt"
    assert not Registration.objects.filter(pk=stale.pk).exists()


@pytest.mark.django_db
def test_seat_limit_counts_the_waiting_list_and_guests_by_organization_name():
    event = _event(seats_per_organization=2, capacity_onsite=1)
    for number in range(2):
        services.registration_create(
            event=event,
            name=f"G{number}",
            email=f"g{number}@example.org",
            mode="vor_ort",
            organization_name="Stadtwerke Beispiel",
            email_verified=True,
        )
    with pytest.raises(ValidationError, match="je Organisation"):
        services.registration_create(
            event=event,
            name="G3",
            email="g3@example.org",
            mode="vor_ort",
            organization_name="stadtwerke beispiel",
            email_verified=True,
        )


@pytest.mark.django_db(transaction=True)
def test_guest_registering_again_learns_nothing_and_the_address_gets_its_link(client):
    event = _event()
    existing = _register(event, 1)
    mail.outbox = []
    response = _guest_post(client, event, **{"r-email": existing.email})
    assert response["Location"] == event.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "bereits eine Anmeldung" not in page
    assert mail.outbox[-1].to == [existing.email]
    assert reverse("events:registration", args=[existing.token]) in mail.outbox[-1].body
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_guest_registrations_are_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.EVENT_GUEST_REGISTRATIONS_PER_HOUR = 2
    event = _event(capacity_online=100)
    for number in range(2):
        _guest_post(client, event, **{"r-email": f"g{number}@example.org"})
    response = _guest_post(client, event, **{"r-email": "g9@example.org"})
    assert "Zu viele Anmeldungen" in response.content.decode()
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_only_consenting_confirmed_participants_are_listed_publicly(client):
    event = _event()
    _register(event, 1, listed=True)
    _register(event, 2, listed=False)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Person 1" in body
    assert "Person 2" not in body
    assert "p1@example.org" not in body


@pytest.mark.django_db
def test_hosts_cannot_strand_registrations(team_user):
    from initiativek.events import services_host

    event = _event()
    _register(event, 1)  # on site
    with pytest.raises(ValidationError, match="Teilnahmeart"):
        services_host._check_registrations_kept(event, new_format="online", status=event.status)
    with pytest.raises(ValidationError, match="kein Entwurf"):
        services_host._check_registrations_kept(event, new_format=event.format, status="entwurf")
