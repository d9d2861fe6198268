"""In-platform notifications (the counter in the header, the list in "Mein Bereich") and the
e-mails that may accompany them, with each person's choice per kind (SPEC §7, issue 6)."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .constants import NotificationKind
from .models import Notification, NotificationPreference

TEXT_LENGTH = Notification._meta.get_field("text").max_length
URL_LENGTH = Notification._meta.get_field("url").max_length


def is_local_path(url: str) -> bool:
    """Whether ``url`` is a path on this platform that is safe to redirect to: it starts with
    one "/" (not "//" or "/\\", which browsers read as another host) and has no whitespace or
    control characters (browsers drop tabs and newlines, turning "/\\t/evil" into "//evil")."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(char.isspace() or unicodedata.category(char)[0] == "C" for char in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _checked_kind(kind: str) -> str:
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    return kind


def _stored_url(url: str) -> str:
    """A link the notification may keep: a local path that fits the column, else none."""
    return url if url and len(url) <= URL_LENGTH and is_local_path(url) else ""


def _absolute_url(url: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{url}" if url else ""


def _distinct_people(users: Iterable[Any]) -> list[Any]:
    """Each saved user once, in the order given."""
    return list({user.pk: user for user in users if user is not None and user.pk}.values())


def notification_create_many(
    *, users: Iterable[Any], text: str, url: str = "", kind: str = NotificationKind.GENERAL
) -> int:
    """One unread notification per distinct user; ``text`` is cut to 300 characters (with
    "…"), ``url`` kept only if it is a local path. Returns the number created."""
    kind = _checked_kind(kind)
    text = Truncator(" ".join(text.split())).chars(TEXT_LENGTH)
    url = _stored_url(url)
    notifications = [
        Notification(user=user, kind=kind, text=text, url=url) for user in _distinct_people(users)
    ]
    Notification.objects.bulk_create(notifications)
    return len(notifications)


def email_wanted(*, users: Iterable[Any], kind: str) -> list[Any]:
    """The people among ``users`` who get e-mails for ``kind``: active, with an address, and
    not opted out (without a preference row e-mails are on)."""
    users = [user for user in _distinct_people(users) if user.is_active and user.email]
    opted_out = set(
        NotificationPreference.objects.filter(user__in=users, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    return [user for user in users if user.pk not in opted_out]


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    kind: str,
    text: str,
    url: str = "",
    mail_template: str | None = None,
    mail_context: dict[str, Any] | None = None,
) -> int:
    """Tell ``users`` about something: a notification in the platform for each (always), and –
    if ``mail_template`` is given – one e-mail per person to those who are active, have an
    address and haven't switched e-mails off for ``kind``.

    ``users`` may repeat people and contain ``None``; each person counts once. ``url`` is a path
    on the platform; the mail context gets it as absolute ``url`` (``mail_context`` may override
    any key) plus ``text`` and ``recipient``. Mails are queued and leave only after the
    surrounding transaction commits, so a rolled-back action sends nothing.
    Returns the number of people notified in the platform."""
    from .services import mail_queue_template

    kind = _checked_kind(kind)
    people = _distinct_people(users)
    notification_create_many(users=people, text=text, url=url, kind=kind)
    if mail_template:
        context = {"text": text, "url": _absolute_url(_stored_url(url)), **(mail_context or {})}
        for person in email_wanted(users=people, kind=kind):
            mail_queue_template(
                to=[person.email], template=mail_template, context={**context, "recipient": person}
            )
    return len(people)


def notification_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    notifications = Notification.objects.filter(user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def notification_unread_count(*, user: Any) -> int:
    """Unread notifications of ``user`` (0 for anonymous visitors); one query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, user: Any, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s own notifications read (once: the first time counts) and return
    it; ``None`` if there is no such notification of this person."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_email_kinds_for_user(*, user: Any) -> set[str]:
    """The kinds for which ``user`` gets e-mails (all, minus those switched off)."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True)
    )
    return set(NotificationKind.values) - off


@transaction.atomic
def notification_preferences_save(*, user: Any, email_kinds: set[str]) -> None:
    """Store ``user``'s choice: e-mails for the kinds in ``email_kinds``, none for the others
    (one row per kind). Unknown kinds are refused with a ValidationError. Audited as
    ``core.notification_preferences.changed`` with what changed, if anything did."""
    from .services import audit_log

    unknown = set(email_kinds) - set(NotificationKind.values)
    if unknown:
        raise ValidationError(
            {"email_kinds": _("Diese Art von Benachrichtigung gibt es nicht.")}, code="invalid"
        )
    before = notification_email_kinds_for_user(user=user)
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in email_kinds}
        )
    if before != set(email_kinds):
        audit_log(
            actor=user,
            action="core.notification_preferences.changed",
            obj=user,
            data={
                "email_on": sorted(set(email_kinds) - before),
                "email_off": sorted(before - set(email_kinds)),
            },
        )
