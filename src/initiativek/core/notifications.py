"""In-platform notifications (the counter in the header, the list in "Mein Bereich")."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification


def notification_create_many(*, users: Iterable[Any], text: str, url: str = "") -> int:
    notifications = [Notification(user=user, text=text[:300], url=url) for user in users]
    Notification.objects.bulk_create(notifications)
    return len(notifications)


def notification_list_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notification_unread_count(*, user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
