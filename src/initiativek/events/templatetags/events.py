"""``{% load events %}``: dates and times of events in the house style, always in Berlin time.

German: "11. Mai 2021, 12:00–14:00 Uhr"; English: "11 May 2021, 12:00–14:00". The words
("Uhr") come from the active locale's formats in ``initiativek.formats``.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..filters import EVENT_TIME_ZONE

register = template.Library()


def _berlin(value: datetime) -> datetime:
    return timezone.localtime(value, EVENT_TIME_ZONE)


def _clock_span(start: datetime, end: datetime) -> str:
    """'12:00–14:00 Uhr': the end carries the locale's time format, the start only the digits."""
    return f"{date_format(start, 'H:i')}–{date_format(end, 'TIME_FORMAT')}"


@register.filter
def event_when(event) -> str:
    """Start and end of ``event``: on one day "11. Mai 2021, 12:00–14:00 Uhr", across days
    both in full, without a date "Termin noch nicht bekannt"."""
    if event.starts_at is None:
        return _("Termin noch nicht bekannt")
    start = _berlin(event.starts_at)
    if event.ends_at is None:
        return date_format(start, "DATETIME_FORMAT")
    end = _berlin(event.ends_at)
    if start.date() == end.date():
        return f"{date_format(start, 'DATE_FORMAT')}, {_clock_span(start, end)}"
    return f"{date_format(start, 'DATETIME_FORMAT')} – {date_format(end, 'DATETIME_FORMAT')}"


@register.filter
def program_time(item) -> str:
    """The time of a program item: "12:00–12:15 Uhr", "12:00 Uhr" or "" without a time."""
    if item.starts_at is None:
        return ""
    start = _berlin(item.starts_at)
    if item.ends_at is None:
        return date_format(start, "TIME_FORMAT")
    return _clock_span(start, _berlin(item.ends_at))


@register.filter
def berlin_datetime(value: datetime | None) -> str:
    """'10. Mai 2021, 12:00 Uhr' in Berlin time, whatever time zone is active."""
    if value is None:
        return ""
    return date_format(_berlin(value), "DATETIME_FORMAT")
