"""The secret address of a person's own calendar feed."""

from typing import Any

from django.db import transaction

from initiativek.core.services import audit_log

from .models import CalendarFeed


def calendar_feed_get_or_create(*, user: Any) -> CalendarFeed:
    """The person's feed; created with a fresh secret token on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user: Any) -> CalendarFeed:
    """Give the feed a new secret token: the old address stops working at once (for a link
    that was shared by mistake). Creates the feed if there is none yet."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = CalendarFeed._meta.get_field("token").get_default()
        feed.full_clean()
        feed.save(update_fields=["token"])
    audit_log(actor=user, action="events.calendar_feed.renewed", obj=user)
    return feed
