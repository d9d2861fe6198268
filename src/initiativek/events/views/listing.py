"""``/veranstaltungen/``: upcoming and past events with filters, and the month calendar."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from .. import selectors
from ..filters import (
    EVENT_TIME_ZONE,
    PARAM_MONTH,
    EventFilterForm,
    EventFilters,
    month_param,
    next_month,
    previous_month,
)

PAGE_SIZE = 20


def event_list(request: HttpRequest) -> HttpResponse:
    """The filter state lives in the URL (GET), so every list can be bookmarked and shared."""
    choices = selectors.event_filter_choices(user=request.user)
    filters = EventFilters.from_query(request.GET, choices)
    upcoming = selectors.event_list_upcoming(user=request.user, filters=filters)
    past = selectors.event_list_past(user=request.user, filters=filters)
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("seite"))
    sections = [
        {
            "id": "kommende",
            "heading": _("Kommende Veranstaltungen"),
            "events": upcoming,
            "empty": _("Zurzeit sind keine Veranstaltungen angekündigt."),
        },
        {
            "id": "vergangene",
            "heading": _("Vergangene Veranstaltungen"),
            "events": page.object_list,
            "page": page,
            "empty": _("Es gibt noch keine vergangenen Veranstaltungen."),
        },
    ]
    return render(
        request,
        "events/list.html",
        {
            "filters": filters,
            "form": EventFilterForm(filters, choices),
            "sections": sections,
            "query": filters.query(),
            "feed_url": request.build_absolute_uri(reverse("events:feed")),
        },
    )


def event_month(request: HttpRequest) -> HttpResponse:
    """``?monat=2021-05``: one month as a table, Monday to Sunday; the current month without
    (or with a malformed) ``monat``. Format, host and topic filters are kept."""
    choices = selectors.event_filter_choices(user=request.user)
    filters = EventFilters.from_query(request.GET, choices)
    today = timezone.localdate(timezone=EVENT_TIME_ZONE)
    month = filters.month or today.replace(day=1)
    weeks = selectors.event_month_grid(user=request.user, month=month, filters=filters, today=today)
    others = filters.without_month()
    return render(
        request,
        "events/month.html",
        {
            "month": month,
            "weeks": weeks,
            "has_events": any(day.events for week in weeks for day in week),
            "weekdays": [(WEEKDAYS_ABBR[day], WEEKDAYS[day]) for day in range(7)],
            "filters": others,
            "previous": previous_month(month),
            "previous_query": others.query(**{PARAM_MONTH: month_param(previous_month(month))}),
            "next": next_month(month),
            "next_query": others.query(**{PARAM_MONTH: month_param(next_month(month))}),
            "list_query": others.query(**{PARAM_MONTH: month_param(month)}),
            "is_current": month == today.replace(day=1),
            "current_query": others.query(),
        },
    )
