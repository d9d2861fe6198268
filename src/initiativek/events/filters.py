"""The filters of the event list and the month calendar, all carried in the URL.

Parameter names are German like the rest of the site's URLs: ``format``, ``gastgeber``
(organization slug), ``monat`` (``YYYY-MM``) and ``thema`` (topic slug). Unknown or malformed
values are dropped silently: an outdated or mistyped link still shows events, never an error.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .constants import EventFormat
from .models import Event

# Events take place in Baden-Württemberg: dates, months and times are those of Berlin.
EVENT_TIME_ZONE = ZoneInfo("Europe/Berlin")

PARAM_FORMAT = "format"
PARAM_HOST = "gastgeber"
PARAM_MONTH = "monat"
PARAM_TOPIC = "thema"

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str | None) -> date | None:
    """``"2021-05"`` → 1 May 2021; anything else → None."""
    match = _MONTH.fullmatch(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_param(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_range(month: date) -> tuple[datetime, datetime]:
    """The first instant of ``month`` and of the month after, in Berlin time."""
    following = next_month(month)
    return (
        datetime(month.year, month.month, 1, tzinfo=EVENT_TIME_ZONE),
        datetime(following.year, following.month, 1, tzinfo=EVENT_TIME_ZONE),
    )


@dataclass(frozen=True)
class FilterChoices:
    """What the URL may name that lives in the database (built by ``selectors``)."""

    hosts: list[tuple[str, str]]  # (slug, name) of organizations hosting visible events
    topics: list[tuple[str, str]]  # (slug, name) of topics of visible events
    months: list[date]  # first days of months with visible events


@dataclass(frozen=True)
class EventFilters:
    format: str = ""
    host: str = ""
    month: date | None = None
    topic: str = ""

    @classmethod
    def from_query(cls, params: QueryDict, choices: FilterChoices) -> "EventFilters":
        """Parse the URL's parameters, keeping only values that exist."""
        host = params.get(PARAM_HOST, "")
        topic = params.get(PARAM_TOPIC, "")
        event_format = params.get(PARAM_FORMAT, "")
        return cls(
            format=event_format if event_format in EventFormat.values else "",
            host=host if host in {slug for slug, _name in choices.hosts} else "",
            month=parse_month(params.get(PARAM_MONTH)),
            topic=topic if topic in {slug for slug, _name in choices.topics} else "",
        )

    @property
    def is_filtered(self) -> bool:
        return self != EventFilters()

    def without_month(self) -> "EventFilters":
        return replace(self, month=None)

    def params(self) -> list[tuple[str, str]]:
        """The URL parameters, in a fixed order so equal states give equal URLs."""
        items = [
            (PARAM_FORMAT, self.format),
            (PARAM_HOST, self.host),
            (PARAM_MONTH, month_param(self.month) if self.month else ""),
            (PARAM_TOPIC, self.topic),
        ]
        return [(name, value) for name, value in items if value]

    def query(self, **extra: str) -> str:
        """The URL query (without ``?``) of this state plus ``extra`` parameters."""
        query = QueryDict(mutable=True)
        for name, value in [*self.params(), *extra.items()]:
            query[name] = value
        return query.urlencode()


def event_filter(queryset: QuerySet[Event], filters: EventFilters) -> QuerySet[Event]:
    """``queryset`` (already limited to what the user may see) narrowed by ``filters``.
    Hosts and topics are matched by subquery, so no event appears twice."""
    if filters.format:
        queryset = queryset.filter(format=filters.format)
    if filters.host:
        hosting = Event.hosts.through.objects.filter(organization__slug=filters.host)
        queryset = queryset.filter(pk__in=hosting.values("event_id"))
    if filters.topic:
        tagged = Event.topics.through.objects.filter(topic__slug=filters.topic)
        queryset = queryset.filter(pk__in=tagged.values("event_id"))
    if filters.month:
        start, end = month_range(filters.month)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    return queryset


class EventFilterForm(forms.Form):
    """The filter panel; rendered unbound from the parsed filters, so never invalid."""

    format = forms.ChoiceField(label=_("Format"), required=False)
    gastgeber = forms.ChoiceField(label=_("Gastgeber"), required=False)
    monat = forms.ChoiceField(label=_("Monat"), required=False)
    thema = forms.ChoiceField(label=_("Thema"), required=False)

    def __init__(self, filters: EventFilters, choices: FilterChoices) -> None:
        super().__init__(
            initial={
                PARAM_FORMAT: filters.format,
                PARAM_HOST: filters.host,
                PARAM_MONTH: month_param(filters.month) if filters.month else "",
                PARAM_TOPIC: filters.topic,
            }
        )
        self.hide_optional = True  # every filter is optional; no "optional" markers
        months = sorted({*choices.months, *([filters.month] if filters.month else [])})
        self.fields["format"].choices = [("", _("alle Formate")), *EventFormat.choices]
        self.fields["gastgeber"].choices = [("", _("alle Gastgeber")), *choices.hosts]
        self.fields["monat"].choices = [("", _("alle Monate"))] + [
            (month_param(month), date_format(month, "YEAR_MONTH_FORMAT")) for month in months
        ]
        self.fields["thema"].choices = [("", _("alle Themen")), *choices.topics]
