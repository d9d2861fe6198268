"""Personal data of event participants: anonymized a set time after the event
(``EVENT_PARTICIPANT_RETENTION_DAYS``), when a person withdraws consent or deletes the account.

An anonymized registration keeps what the counts need – event, organization, attendance mode,
status, attendance – and loses name, e-mail address, account link, accessibility needs, the
listing and its link (a new random token). Its e-mail address becomes
``teilnahme-<id>@anonymisiert.invalid`` (the ``.invalid`` top-level domain never delivers),
which also marks it as done, so running the retention again changes nothing.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from initiativek.core.models import AuditEntry
from initiativek.core.services import audit_log

from . import services
from .constants import ACTIVE, EventStatus
from .models import Event, Registration

ANONYMIZED_NAME = "Anonymisiert"
ANONYMIZED_EMAIL_DOMAIN = "anonymisiert.invalid"
ANONYMIZED_FIELDS = [
    "name",
    "email",
    "user",
    "access_needs",
    "listed",
    "token",
    "confirm_expires_at",
    "updated_at",
]


def registration_is_anonymized(registration: Registration) -> bool:
    return registration.email.endswith("@" + ANONYMIZED_EMAIL_DOMAIN)


def _not_anonymized(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return registrations.exclude(email__endswith="@" + ANONYMIZED_EMAIL_DOMAIN)


def _anonymize(registrations: QuerySet[Registration]) -> int:
    """Clear the personal data of ``registrations`` (bulk: no signals, no consent records
    given again) and of what refers to them: consent records and audit entries."""
    from initiativek.privacy.services import consent_anonymize_for_registrations

    now = timezone.now()
    rows = list(_not_anonymized(registrations).select_related("event"))
    for registration in rows:
        registration.name = ANONYMIZED_NAME
        registration.email = f"teilnahme-{registration.pk}@{ANONYMIZED_EMAIL_DOMAIN}"
        registration.user = None
        registration.access_needs = ""
        registration.listed = False
        registration.token = secrets.token_urlsafe(32)
        registration.confirm_expires_at = None
        registration.updated_at = now
    Registration.objects.bulk_update(rows, ANONYMIZED_FIELDS, batch_size=500)
    ids = [registration.pk for registration in rows]
    consent_anonymize_for_registrations(registration_ids=ids)
    content_type = ContentType.objects.get_for_model(Registration)
    for registration in rows:  # "Name – Event" in the audit trail of check-ins
        AuditEntry.objects.filter(content_type=content_type, object_id=str(registration.pk)).update(
            object_repr=str(registration)[:255]
        )
    return len(rows)


def _release_seat(registration: Registration) -> None:
    """Cancel a registration that still holds or awaits a seat, so the seat moves on."""
    if registration.status in ACTIVE and services._event_running(registration.event):
        services.registration_cancel(token=registration.token)


@transaction.atomic
def registration_erase(*, registration: Registration, actor: Any) -> None:
    """The person withdrew the privacy consent: cancel (if the event is still to come) and
    anonymize the registration."""
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if registration_is_anonymized(registration):
        return
    _release_seat(registration)
    _anonymize(Registration.objects.filter(pk=registration.pk))
    audit_log(actor=actor, action="events.registration.anonymized", obj=registration.event)


def registration_anonymize_for_person(*, user: Any) -> int:
    """The account is being deleted: cancel the person's registrations for events still to
    come and anonymize all of them (with the account or with its e-mail address). The caller
    holds the transaction."""
    registrations = Registration.objects.filter(
        Q(user=user) | Q(email__iexact=user.email)
    ).select_related("event")
    for registration in _not_anonymized(registrations):
        _release_seat(registration)
    return _anonymize(registrations)


@transaction.atomic
def registration_unlist(*, registration: Registration, actor: Any) -> Registration:
    """Take the person off the visible participant list."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.listed:
        registration.listed = False
        registration.save(update_fields=["listed", "updated_at"])
        audit_log(actor=actor, action="events.registration.unlisted", obj=registration.event)
    return registration


@transaction.atomic
def registration_access_needs_clear(*, registration: Registration, actor: Any) -> Registration:
    """Delete what the person said about accessibility needs."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.access_needs:
        registration.access_needs = ""
        registration.save(update_fields=["access_needs", "updated_at"])
        audit_log(
            actor=actor,
            action="events.registration.access_needs_deleted",
            obj=registration.event,
        )
    return registration


def event_list_past_retention(*, now: datetime | None = None, days: int | None = None):
    """Events whose participants' personal data is due for anonymization: ended more than
    ``days`` ago – or, without a date, cancelled that long ago."""
    days = settings.EVENT_PARTICIPANT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        Event.objects.annotate(end=Coalesce("ends_at", "starts_at"))
        .filter(
            Q(end__lt=cutoff)
            | Q(end__isnull=True, status=EventStatus.CANCELLED, updated_at__lt=cutoff)
        )
        .filter(
            pk__in=_not_anonymized(Registration.objects.all()).values("event_id"),
        )
        .order_by("pk")
    )


def registration_anonymize_expired(*, now: datetime | None = None, days: int | None = None) -> int:
    """Anonymize the registrations of every event past the retention period, one event per
    transaction; returns how many were anonymized (0 on a second run)."""
    total = 0
    for event_id in event_list_past_retention(now=now, days=days).values_list("pk", flat=True):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            count = _anonymize(Registration.objects.filter(event=event))
            if count:
                audit_log(
                    actor=None,
                    action="events.participants.anonymized",
                    obj=event,
                    data={"registrations": count},
                )
            total += count
    return total
