"""Writes of the host tools: check-in, messages to participants, the export record."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log, mail_queue

from .constants import RegistrationStatus
from .models import Event, Registration

MESSAGE_SUBJECT_MAX = 200
MESSAGE_TEXT_MAX = 10000


@transaction.atomic
def registration_set_attended(
    *, registration: Registration, actor: Any, attended: bool
) -> Registration:
    """Mark a confirmed registration as attended (now) or not attended.

    Only confirmed registrations can be checked in; others raise ValidationError. Marking an
    already attended person again keeps the first time.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Nur bestätigte Anmeldungen können als anwesend markiert werden."))
    if attended and registration.attended_at is None:
        registration.attended_at = timezone.now()
    elif not attended:
        registration.attended_at = None
    registration.save(update_fields=["attended_at", "updated_at"])
    audit_log(
        actor=actor,
        action="events.registration.attended",
        obj=registration,
        data={"attended": attended, "event": registration.event_id},
    )
    return registration


def _check_message(subject: str, text: str) -> tuple[str, str]:
    subject, text = subject.strip(), text.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Bitte geben Sie einen Betreff ein.")
    elif len(subject) > MESSAGE_SUBJECT_MAX:
        errors["subject"] = _("Der Betreff ist zu lang.")
    if not text:
        errors["text"] = _("Bitte geben Sie einen Text ein.")
    elif len(text) > MESSAGE_TEXT_MAX:
        errors["text"] = _("Der Text ist zu lang.")
    if errors:
        raise ValidationError(errors)
    return subject, text


def _render_message(
    registration: Registration, event: Event, sender: Any, subject: str, text: str
) -> tuple[str, str]:
    context = {
        "registration": registration,
        "event": event,
        "sender": sender,
        "subject": subject,
        "text": text,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "platform_name": settings.PLATFORM_NAME,
    }
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        rendered_subject = render_to_string("mail/event_host_message_subject.txt", context)
        body = render_to_string("mail/event_host_message_body.txt", context)
    rendered_subject = " ".join(rendered_subject.split())
    return f"[{settings.PLATFORM_NAME}] {rendered_subject}", body


@transaction.atomic
def event_message_send(*, event: Event, actor: Any, subject: str, text: str) -> int:
    """Queue one mail per confirmed participant of ``event`` (reply goes to ``actor``);
    returns how many were queued. Mails leave once the transaction commits.

    Raises ValidationError (keyed ``subject``/``text``) for an empty or too long message.
    """
    subject, text = _check_message(subject, text)
    recipients = event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("pk")
    count = 0
    for registration in recipients:
        mail_subject, body = _render_message(registration, event, actor, subject, text)
        mail_queue(
            to=[registration.email], subject=mail_subject, body_text=body, reply_to=actor.email
        )
        count += 1
    audit_log(
        actor=actor,
        action="events.message.sent",
        obj=event,
        data={"subject": subject, "recipients": count},
    )
    return count


def event_participants_exported(*, event: Event, actor: Any, file_format: str, rows: int) -> None:
    """Record that ``actor`` downloaded the participant list (personal data leaves the site)."""
    audit_log(
        actor=actor,
        action="events.participants.exported",
        obj=event,
        data={"format": file_format, "rows": rows},
    )
