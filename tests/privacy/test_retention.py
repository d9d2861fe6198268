from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from initiativek.core.constants import MailStatus
from initiativek.core.models import AuditEntry, OutgoingMail
from initiativek.events.constants import RegistrationStatus
from initiativek.events.models import Registration
from initiativek.events.selectors_participants import event_participant_counts
from initiativek.events.services_privacy import (
    registration_anonymize_expired,
    registration_is_anonymized,
)
from initiativek.privacy.models import ConsentRecord
from tests.accounts.factories import UserFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _event_ended(days_ago: float, **kwargs):
    end = timezone.now() - timedelta(days=days_ago)
    return EventFactory(starts_at=end - timedelta(hours=2), ends_at=end, **kwargs)


def _participants(event, organization):
    member = UserFactory(name="Mia Mitglied")
    return [
        RegistrationFactory(
            event=event,
            user=member,
            email=member.email,
            name=member.name,
            organization=organization,
            listed=True,
            access_needs="Gebärdensprache",
            attended_at=event.starts_at,
        ),
        RegistrationFactory(
            event=event, name="Gerd Gast", organization_name="Stadtwerke X", online=True
        ),
        RegistrationFactory(event=event, name="Wanda Warteliste", waitlisted=True),
    ]


def test_participants_are_anonymized_after_the_retention_period(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 90
    organization = OrganizationFactory(name="Biberach")
    due = _event_ended(91)
    member, guest, waiting = _participants(due, organization)
    counts_before = event_participant_counts(event=due)

    assert registration_anonymize_expired() == 3

    for registration in (member, guest, waiting):
        registration.refresh_from_db()
        assert registration_is_anonymized(registration)
        assert registration.name == "Anonymisiert"
        assert registration.user is None and registration.access_needs == ""
        assert not registration.listed
    # What the statistics need stays.
    assert member.organization == organization and member.attended_at is not None
    assert guest.organization_name == "Stadtwerke X" and guest.mode == "online"
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert event_participant_counts(event=due) == counts_before
    assert "Mia Mitglied" not in str(member) and "Gerd Gast" not in str(guest)
    # Consent records stay as proof, without the person.
    records = ConsentRecord.objects.filter(registration__event=due)
    assert records.count() >= 3
    assert not records.exclude(email="").exists() and not records.exclude(user=None).exists()
    entry = AuditEntry.objects.get(action="events.participants.anonymized")
    assert entry.object_id == str(due.pk) and entry.data == {"registrations": 3}


def test_participants_of_recent_and_coming_events_are_kept(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 90
    recent = RegistrationFactory(event=_event_ended(89), name="Rita Recent")
    coming = RegistrationFactory(name="Carl Coming")  # the factory's event is in two weeks
    undated = RegistrationFactory(event=EventFactory(undated=True), name="Udo Undatiert")

    assert registration_anonymize_expired() == 0

    for registration, name in (
        (recent, "Rita Recent"),
        (coming, "Carl Coming"),
        (undated, "Udo Undatiert"),
    ):
        registration.refresh_from_db()
        assert registration.name == name and not registration_is_anonymized(registration)


def test_the_period_comes_from_the_setting(settings):
    registration = RegistrationFactory(event=_event_ended(10))
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 30
    assert registration_anonymize_expired() == 0
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 7
    assert registration_anonymize_expired() == 1
    registration.refresh_from_db()
    assert registration_is_anonymized(registration)


def test_undated_cancelled_events_count_from_the_cancellation(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 30
    event = EventFactory(undated=True, cancelled=True)
    registration = RegistrationFactory(event=event)
    assert registration_anonymize_expired() == 0
    type(event).objects.filter(pk=event.pk).update(updated_at=timezone.now() - timedelta(days=31))

    assert registration_anonymize_expired() == 1
    registration.refresh_from_db()
    assert registration_is_anonymized(registration)


def test_running_it_again_changes_nothing(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 90
    event = _event_ended(100)
    _participants(event, OrganizationFactory())
    registration_anonymize_expired()
    snapshot = list(Registration.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()

    assert registration_anonymize_expired() == 0
    assert list(Registration.objects.order_by("pk").values()) == snapshot
    assert AuditEntry.objects.count() == entries


def test_anonymized_registration_links_no_longer_work(client, settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 0
    registration = RegistrationFactory(event=_event_ended(1))
    old_token = registration.token

    registration_anonymize_expired()

    assert client.get(f"/veranstaltungen/anmeldung/{old_token}/").status_code == 404


def test_the_scheduled_housekeeping_runs_the_retention(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 90
    RegistrationFactory(event=_event_ended(120))
    out = StringIO()

    call_command("event_housekeeping", stdout=out)

    assert "1 Anmeldungen anonymisiert" in out.getvalue()
    out = StringIO()
    call_command("event_housekeeping", stdout=out)
    assert "0 Anmeldungen anonymisiert" in out.getvalue()


def test_the_retention_command_reports_the_periods(settings):
    settings.EVENT_PARTICIPANT_RETENTION_DAYS = 90
    RegistrationFactory(event=_event_ended(120))
    out = StringIO()

    call_command("privacy_retention", stdout=out)

    assert "1 Anmeldungen anonymisiert (Frist 90 Tage)" in out.getvalue()


def _mail(status, days_ago):
    mail = OutgoingMail.objects.create(
        to=["someone@example.org"], subject="Ihre Anmeldung", body_text="…", status=status
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return mail


def test_old_sent_mails_leave_the_outbox_queued_ones_stay(settings):
    settings.MAIL_RETENTION_DAYS = 90
    old_sent = _mail(MailStatus.SENT, 91)
    old_failed = _mail(MailStatus.FAILED, 91)
    old_queued = _mail(MailStatus.QUEUED, 91)
    recent_sent = _mail(MailStatus.SENT, 10)

    call_command("privacy_retention", stdout=StringIO())

    remaining = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert remaining == {old_queued.pk, recent_sent.pk}
    assert old_sent.pk not in remaining and old_failed.pk not in remaining
