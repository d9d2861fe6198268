"""Every write to events and registrations.

Capacity is computed from registration rows inside a transaction that holds a lock on the
event row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every write transaction starts
with ``BEGIN IMMEDIATE`` and so serialises). Nothing counts free places before taking the lock.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log

from . import notifications
from .constants import (
    PRIVACY_TEXT_VERSION,
    SEAT_HOLDING,
    EventStatus,
    RegistrationStatus,
    WaitlistMode,
)
from .models import Event, Registration


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def seats_taken(*, event: Event, mode: str) -> int:
    return Registration.objects.filter(event=event, mode=mode, status__in=SEAT_HOLDING).count()


def seats_left(*, event: Event, mode: str) -> int | None:
    """Free seats in ``mode``; None when unlimited."""
    capacity = event.capacity_for(mode)
    if capacity is None:
        return None
    return max(capacity - seats_taken(event=event, mode=mode), 0)


def _check_open(event: Event, mode: str) -> None:
    now = timezone.now()
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("Diese Veranstaltung wurde abgesagt."))
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Für diese Veranstaltung ist keine Anmeldung möglich."))
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(_("Die Anmeldung ist noch nicht geöffnet."))
    closes = event.registration_closes_at or event.ends_at or event.starts_at
    if closes and now > closes:
        raise ValidationError(_("Die Anmeldung ist geschlossen."))
    if event.capacity_for(mode) == 0:
        raise ValidationError({"mode": _("Diese Teilnahmeart wird nicht angeboten.")})


def _check_organization_limit(event: Event, registration: Registration) -> None:
    """At most ``seats_per_organization`` seats or waiting places per organization, so one
    member cannot fill the room (guests are matched by the organization name they give)."""
    limit = event.seats_per_organization
    if not limit:
        return
    same = Registration.objects.filter(
        event=event,
        status__in=[
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.OFFERED,
            RegistrationStatus.WAITLISTED,
        ],
    ).exclude(pk=registration.pk)
    if registration.organization_id:
        same = same.filter(organization_id=registration.organization_id)
    elif registration.organization_name.strip():
        same = same.filter(organization_name__iexact=registration.organization_name.strip())
    else:
        return
    taken = same.count()
    if taken >= limit:
        raise ValidationError(
            _(
                "Ihre Organisation hat bereits %(count)s Plätze; je Organisation sind "
                "höchstens %(limit)s möglich, damit alle teilnehmen können."
            )
            % {"count": taken, "limit": limit}
        )


def _allocate(event: Event, registration: Registration) -> None:
    """Confirm or waitlist a registration. The caller holds the event lock."""
    _check_organization_limit(event, registration)
    _fill_free_seats(event, registration.mode)  # nobody waiting may be skipped
    left = seats_left(event=event, mode=registration.mode)
    waiting = Registration.objects.filter(
        event=event, mode=registration.mode, status=RegistrationStatus.WAITLISTED
    ).exists()
    if (left is None or left > 0) and not waiting:
        registration.status = RegistrationStatus.CONFIRMED
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.queued_at = timezone.now()


def _duplicate() -> ValidationError:
    message = _("Mit dieser E-Mail-Adresse gibt es bereits eine Anmeldung.")
    return ValidationError({"email": ValidationError(message, code="duplicate")})


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    mode: str,
    user: Any | None = None,
    organization=None,
    organization_name: str = "",
    listed: bool = False,
    access_needs: str = "",
    language: str = "de",
    email_verified: bool = False,
) -> Registration:
    """Register someone. With a verified e-mail (a signed-in member) the seat is allocated
    now; guests first confirm their address by the link in an e-mail (double opt-in)."""
    event = _lock_event(event.pk)
    _check_open(event, mode)
    email = email.strip().lower()
    # An unconfirmed registration whose link expired does not block a new one.
    Registration.objects.filter(
        event=event,
        email__iexact=email,
        status=RegistrationStatus.PENDING,
        confirm_expires_at__lt=timezone.now(),
    ).delete()
    if Registration.objects.filter(event=event, email__iexact=email).exclude(
        status=RegistrationStatus.CANCELLED
    ):
        raise _duplicate()
    registration = Registration(
        event=event,
        user=user,
        name=name.strip(),
        email=email,
        organization=organization,
        organization_name=organization_name.strip(),
        mode=mode,
        listed=listed,
        access_needs=access_needs.strip() if event.ask_access_needs else "",
        language=language,
        privacy_consent_at=timezone.now(),
        privacy_text_version=PRIVACY_TEXT_VERSION,
        status=RegistrationStatus.PENDING,
    )
    if email_verified:
        _allocate(event, registration)
    else:
        hours = settings.EVENT_CONFIRMATION_HOURS
        registration.confirm_expires_at = timezone.now() + timedelta(hours=hours)
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise _duplicate() from exc
    audit_log(
        actor=user,
        action="events.registration.created",
        obj=event,
        data={"status": registration.status},
    )
    notifications.registration_status_mail(registration)
    return registration


def _lock_registration(token: str) -> tuple[Event, Registration]:
    """The event (locked) and the registration behind a link; a wrong link is a clear error."""
    registration = Registration.objects.filter(token=token).only("event_id").first()
    if registration is None:
        raise ValidationError(_("Dieser Link ist ungültig."))
    event = _lock_event(registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def registration_confirm_email(*, token: str) -> Registration:
    """The guest clicked the link in the confirmation e-mail."""
    event, registration = _lock_registration(token)
    if registration.status != RegistrationStatus.PENDING:
        return registration  # clicked twice: nothing changes
    if registration.confirm_expires_at and registration.confirm_expires_at < timezone.now():
        raise ValidationError(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an.")
        )
    _check_open(event, registration.mode)
    _allocate(event, registration)
    registration.save()
    audit_log(
        actor=None,
        action="events.registration.email_confirmed",
        obj=event,
        data={"status": registration.status},
    )
    notifications.registration_status_mail(registration)
    return registration


def _event_running(event: Event) -> bool:
    """Seats still move: the event is published and not over."""
    if event.status != EventStatus.PUBLISHED:
        return False
    end = event.ends_at or event.starts_at
    return not (end and end < timezone.now())


def _fill_free_seats(event: Event, mode: str) -> None:
    """Give free seats to the waiting list, in order. The caller holds the event lock."""
    if not _event_running(event):
        return
    while True:
        left = seats_left(event=event, mode=mode)
        if left is not None and left <= 0:
            return
        nxt = (
            Registration.objects.select_for_update()
            .filter(event=event, mode=mode, status=RegistrationStatus.WAITLISTED)
            .order_by("queued_at", "pk")
            .first()
        )
        if nxt is None:
            return
        moved_up = event.waitlist_mode == WaitlistMode.AUTOMATIC
        if moved_up:
            nxt.status = RegistrationStatus.CONFIRMED
        else:
            nxt.status = RegistrationStatus.OFFERED
            nxt.offered_until = timezone.now() + timedelta(hours=event.offer_hold_hours)
        nxt.save(update_fields=["status", "offered_until", "updated_at"])
        audit_log(
            actor=None, action="events.registration.moved_up", obj=event, data={"to": nxt.status}
        )
        notifications.registration_status_mail(nxt, moved_up=moved_up)


@transaction.atomic
def registration_cancel(*, token: str) -> Registration:
    event, registration = _lock_registration(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_log(actor=registration.user, action="events.registration.cancelled", obj=event)
    notifications.registration_status_mail(registration)
    _fill_free_seats(event, registration.mode)
    return registration


@transaction.atomic
def registration_accept_offer(*, token: str) -> Registration:
    event, registration = _lock_registration(token)
    if registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if (
        not _event_running(event)
        or registration.status != RegistrationStatus.OFFERED
        or (registration.offered_until and registration.offered_until < timezone.now())
    ):
        raise ValidationError(_("Dieses Platzangebot gilt nicht mehr."))
    registration.status = RegistrationStatus.CONFIRMED
    registration.offered_until = None
    registration.save(update_fields=["status", "offered_until", "updated_at"])
    audit_log(actor=registration.user, action="events.registration.offer_accepted", obj=event)
    notifications.registration_status_mail(registration)
    return registration


@transaction.atomic
def registration_switch_mode(*, token: str, mode: str) -> Registration:
    """Switch between on-site and online: a seat holder only while a seat is free in the
    other mode; someone waiting joins the end of the other mode's waiting list."""
    event, registration = _lock_registration(token)
    if registration.mode == mode or registration.status == RegistrationStatus.CANCELLED:
        return registration
    _check_open(event, mode)
    old_mode = registration.mode
    if registration.status in SEAT_HOLDING:
        left = seats_left(event=event, mode=mode)
        if left is not None and left <= 0:
            raise ValidationError(_("In dieser Teilnahmeart ist kein Platz mehr frei."))
        registration.status = RegistrationStatus.CONFIRMED
        registration.offered_until = None
    elif registration.status == RegistrationStatus.WAITLISTED:
        registration.queued_at = timezone.now()
    registration.mode = mode
    registration.save(update_fields=["mode", "status", "offered_until", "queued_at", "updated_at"])
    audit_log(
        actor=registration.user,
        action="events.registration.mode_changed",
        obj=event,
        data={"from": old_mode, "to": mode},
    )
    _fill_free_seats(event, old_mode)
    _fill_free_seats(event, mode)
    registration.refresh_from_db()
    if registration.status != RegistrationStatus.PENDING:
        notifications.registration_status_mail(registration)
    return registration


def waitlist_expire_offers() -> int:
    """Pass on seats whose offer was not accepted in time (run regularly by the worker)."""
    expired = 0
    events = Event.objects.filter(
        registrations__status=RegistrationStatus.OFFERED,
        registrations__offered_until__lt=timezone.now(),
    ).distinct()
    for event_id in events.values_list("pk", flat=True):
        with transaction.atomic():
            event = _lock_event(event_id)
            stale = Registration.objects.select_for_update().filter(
                event=event, status=RegistrationStatus.OFFERED, offered_until__lt=timezone.now()
            )
            modes = set()
            running = _event_running(event)
            for registration in stale:
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = timezone.now()
                registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                if running:
                    notifications.registration_status_mail(registration, offer_expired=True)
                modes.add(registration.mode)
                expired += 1
            for mode in modes:
                _fill_free_seats(event, mode)
    return expired


def registration_purge_unconfirmed() -> int:
    """Delete guest registrations whose confirmation link expired (personal data that was
    never confirmed is not kept)."""
    deleted, _details = Registration.objects.filter(
        status=RegistrationStatus.PENDING, confirm_expires_at__lt=timezone.now()
    ).delete()
    return deleted


@transaction.atomic
def event_set_capacity(
    *, event: Event, actor: Any, capacity_onsite: int | None, capacity_online: int | None
) -> Event:
    """Change capacities; never below the seats already given, and free seats go to the
    waiting list at once."""
    event = _lock_event(event.pk)
    for mode, capacity in (("vor_ort", capacity_onsite), ("online", capacity_online)):
        taken = seats_taken(event=event, mode=mode)
        if capacity is not None and capacity < taken:
            raise ValidationError(
                _("Es sind bereits %(taken)s Plätze vergeben; weniger geht nicht.")
                % {"taken": taken}
            )
    event.capacity_onsite, event.capacity_online = capacity_onsite, capacity_online
    event.save(update_fields=["capacity_onsite", "capacity_online", "updated_at"])
    audit_log(actor=actor, action="events.event.capacity_changed", obj=event)
    for mode in event.modes:
        _fill_free_seats(event, mode)
    return event


CHANGE_FIELDS = ("starts_at", "ends_at", "venue", "venue_address", "online_url", "format")


@transaction.atomic
def event_update(*, event: Event, actor: Any, data: dict[str, Any]) -> Event:
    """Change an event's details. A change of time or place raises the calendar SEQUENCE and
    tells everybody registered (confirmed and waiting)."""
    event = _lock_event(event.pk)
    changed = [field for field, value in data.items() if getattr(event, field) != value]
    for field, value in data.items():
        setattr(event, field, value)
    event.full_clean()
    relevant = [field for field in changed if field in CHANGE_FIELDS]
    if relevant:
        event.sequence += 1
    if "starts_at" in changed:
        event.reminder_sent_at = None  # a new start gets a new reminder
    event.save()
    audit_log(actor=actor, action="events.event.changed", obj=event, data={"fields": changed})
    if relevant and event.status == EventStatus.PUBLISHED:
        notifications.event_changed_mail(event, changed=relevant)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Any, reason: str = "") -> Event:
    """Cancel the event: it stays in calendars as CANCELLED and everybody is told."""
    event = _lock_event(event.pk)
    if event.status == EventStatus.CANCELLED:
        return event
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit_log(actor=actor, action="events.event.cancelled", obj=event, data={"reason": reason})
    notifications.event_cancelled_mail(event, reason=reason)
    return event


def event_send_reminders(*, now=None) -> int:
    """Remind confirmed participants ``reminder_hours_before`` the start, once per event."""
    now = now or timezone.now()
    sent = 0
    candidates = Event.objects.filter(
        status=EventStatus.PUBLISHED, reminder_sent_at__isnull=True, starts_at__gt=now
    )
    for event in candidates:
        if event.starts_at - timedelta(hours=event.reminder_hours_before) > now:
            continue
        with transaction.atomic():
            locked = _lock_event(event.pk)
            if locked.reminder_sent_at:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            sent += notifications.event_reminder_mail(locked)
    return sent


def registration_send_link(*, event: Event, email: str) -> None:
    """Mail the existing registration's link to its address (asked for by someone who tried
    to register again – we don't tell them on the page whether a registration exists)."""
    registration = (
        Registration.objects.filter(event=event, email__iexact=email.strip())
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is not None:
        notifications.registration_status_mail(registration)
