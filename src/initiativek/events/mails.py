"""E-mails about a registration, in the recipient's language, plain text and HTML."""

from django.conf import settings
from django.urls import reverse

from initiativek.core.services import mail_queue_template

from . import selectors
from .constants import RegistrationStatus
from .permissions import gets_online_link


def _kind(registration, *, offer_expired: bool, moved_up: bool) -> str:
    if offer_expired:
        return "offer_expired"
    if registration.status == RegistrationStatus.CONFIRMED and moved_up:
        return "moved_up"
    return {
        RegistrationStatus.PENDING: "pending",
        RegistrationStatus.CONFIRMED: "confirmed",
        RegistrationStatus.WAITLISTED: "waitlisted",
        RegistrationStatus.OFFERED: "offered",
        RegistrationStatus.CANCELLED: "cancelled",
    }[registration.status]


def _links(registration) -> dict:
    return {
        "online_link": gets_online_link(registration),
        "registration": registration,
        "event": registration.event,
        "manage_url": settings.SITE_URL
        + reverse("events:registration", kwargs={"token": registration.token}),
        "event_url": settings.SITE_URL + registration.event.get_absolute_url(),
    }


def registration_mail_queue(
    registration, *, offer_expired: bool = False, moved_up: bool = False
) -> None:
    """Tell the person what happened to their registration (links carry their token, so the
    mail is marked sensitive and its text is deleted once sent)."""
    from .calendar import registration_ics_attachment

    kind = _kind(registration, offer_expired=offer_expired, moved_up=moved_up)
    context = {
        **_links(registration),
        "kind": kind,
        "confirm_url": settings.SITE_URL
        + reverse("events:registration-confirm", kwargs={"token": registration.token}),
        "position": selectors.registration_waitlist_position(registration=registration),
    }
    attachments = []
    if kind in {"confirmed", "moved_up"} and registration.event.starts_at:
        attachments.append(registration_ics_attachment(registration))
    mail_queue_template(
        to=[registration.email],
        template="mail/event_registration",
        context=context,
        language=registration.language,
        sensitive=True,
        attachments=attachments,
    )


def event_mail_queue(registration, *, kind: str, changed=(), reason: str = "") -> None:
    """Changed time or place, cancelled event, reminder – to one registered person."""
    from .calendar import registration_ics_attachment

    event = registration.event
    context = {**_links(registration), "kind": kind, "changed": list(changed), "reason": reason}
    attachments = []
    if registration.status == RegistrationStatus.CONFIRMED and event.starts_at:
        attachments.append(registration_ics_attachment(registration))
    mail_queue_template(
        to=[registration.email],
        template="mail/event_update",
        context=context,
        language=registration.language,
        sensitive=True,
        attachments=attachments,
    )
