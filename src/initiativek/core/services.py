"""Shared write operations: the audit trail and the mail outbox."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .constants import MailStatus
from .models import AccessibilityFeedback, AuditEntry, OutgoingMail

logger = logging.getLogger(__name__)


def audit_log(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record ``action`` (a dotted code such as ``organizations.membership.role_changed``)."""
    entry = AuditEntry(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.save()
    return entry


def mail_queue(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    reply_to: str = "",
    sensitive: bool = False,
    attachments: list[tuple[str, str, str]] | None = None,
) -> OutgoingMail:
    """Store a mail and send it in the background once the surrounding transaction commits.

    ``sensitive`` mails (sign-in, reset and invitation links) lose their text once sent.
    ``attachments`` are (filename, text content, mimetype), e.g. an .ics invitation.
    """
    mail = OutgoingMail.objects.create(
        to=list(to),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        reply_to=reply_to,
        sensitive=sensitive,
        attachments=[list(attachment) for attachment in attachments or []],
    )
    transaction.on_commit(lambda: _enqueue_send(mail.pk))
    return mail


def mail_queue_template(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    sensitive: bool = False,
    attachments: list[tuple[str, str, str]] | None = None,
) -> OutgoingMail:
    """Render ``<template>_subject.txt``, ``<template>_body.txt`` and, if it exists,
    ``<template>_body.html`` in ``language``."""
    context = {"site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
        try:
            html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:
            html = ""
    subject = " ".join(subject.split())
    return mail_queue(
        to=to,
        subject=f"[{settings.PLATFORM_NAME}] {subject}",
        body_text=body,
        body_html=html,
        sensitive=sensitive,
        attachments=attachments,
    )


def _enqueue_send(mail_id: int, *, delay: timedelta | None = None) -> None:
    from .tasks import mail_send_task

    try:
        task = mail_send_task
        if delay:
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(mail_id=mail_id)
    except Exception:  # the mail stays queued; `manage.py send_queued_mail` picks it up
        logger.exception("Could not enqueue mail %s", mail_id)


def _mail_claim(mail_id: int) -> OutgoingMail | None:
    """Mark a queued mail as being sent, in a short transaction of its own."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if mail.status != MailStatus.QUEUED:
            return None
        mail.status = MailStatus.SENDING
        mail.attempts += 1
        mail.claimed_at = timezone.now()
        mail.save(update_fields=["status", "attempts", "claimed_at"])
        return mail


def _mail_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=[mail.reply_to] if mail.reply_to else None,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, content, mimetype)
    return message


def mail_send(*, mail_id: int) -> OutgoingMail:
    """Try to deliver one stored mail; on failure schedule another attempt with back-off.

    The SMTP conversation happens outside any transaction, so a slow mail server never holds
    a database lock (SQLite has only one writer).
    """
    mail = _mail_claim(mail_id)
    if mail is None:
        return OutgoingMail.objects.get(pk=mail_id)
    try:
        _mail_message(mail).send()
    except Exception as exc:  # any transport error: keep the mail, try again later
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        failed = mail.attempts >= settings.MAIL_MAX_ATTEMPTS
        mail.status = MailStatus.FAILED if failed else MailStatus.QUEUED
        mail.save(update_fields=["last_error", "status"])
        logger.warning("Mail %s attempt %s failed: %s", mail.pk, mail.attempts, exc)
        if not failed:
            _enqueue_send(mail.pk, delay=timedelta(minutes=2 ** (mail.attempts - 1)))
        return mail
    mail.status = MailStatus.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    fields = ["status", "sent_at", "last_error"]
    if mail.sensitive:
        mail.body_text = mail.body_html = ""
        mail.attachments = []
        fields += ["body_text", "body_html", "attachments"]
    mail.save(update_fields=fields)
    return mail


def mail_requeue_stale(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Give mails whose sending was interrupted (worker stopped mid-send) another chance."""
    return OutgoingMail.objects.filter(
        status=MailStatus.SENDING, claimed_at__lt=timezone.now() - older_than
    ).update(status=MailStatus.QUEUED)


def accessibility_feedback_submit(
    *, name: str, email: str, page_url: str, message: str
) -> AccessibilityFeedback:
    """Store a reported barrier and tell the team (reply goes to the reporter, if given)."""
    feedback = AccessibilityFeedback(name=name, email=email, page_url=page_url, message=message)
    feedback.full_clean()
    feedback.save()
    audit_log(actor=None, action="core.accessibility_feedback.received", obj=feedback)
    context = {"feedback": feedback, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("mail/accessibility_feedback_body.txt", context)
    mail_queue(
        to=[settings.TEAM_EMAIL],
        subject=f"[{settings.PLATFORM_NAME}] Rückmeldung zur Barrierefreiheit",
        body_text=body,
        reply_to=email,
    )
    return feedback


def rate_limit_exceeded(*, key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt for ``key``; True once more than ``limit`` happened in the period.
    Uses the shared cache (Redis in production), so it holds across application servers."""
    from django.core.cache import cache

    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=period_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        count = 1
    return count > limit
