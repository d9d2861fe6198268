"""Loads the demo events (called by ``seed_demo``); idempotent by slug."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from initiativek.organizations.models import Organization
from initiativek.projects.models import Project

from . import demo
from .models import Event, EventSeries, ProgramItem, ProgramPerson, Speaker

BERLIN = ZoneInfo("Europe/Berlin")


def _organization(ags: str) -> Organization:
    return Organization.objects.exclude(kind="landkreis").get(ags=ags)


def _speaker(name: str, function: str, ags: str) -> Speaker:
    speaker, _created = Speaker.objects.get_or_create(
        name=name, defaults={"function": function, "organization": _organization(ags)}
    )
    return speaker


def _item(event, position, kind, title, people, project_slug) -> None:
    item, _created = ProgramItem.objects.get_or_create(
        event=event, title=title, defaults={"kind": kind, "position": position}
    )
    for index, person in enumerate(people):
        ProgramPerson.objects.get_or_create(
            item=item, speaker=_speaker(*person), role="referent", defaults={"position": index}
        )
    if project_slug:
        item.projects.set(Project.objects.filter(slug=project_slug))


def _when(date: str | None, start: int | None, end: int | None):
    if date is None:
        return None, None
    day = datetime.date.fromisoformat(date)
    return (
        datetime.datetime.combine(day, datetime.time(start), tzinfo=BERLIN),
        datetime.datetime.combine(day, datetime.time(end), tzinfo=BERLIN),
    )


@transaction.atomic
def seed_demo_events() -> int:
    series, _created = EventSeries.objects.get_or_create(
        slug=demo.SERIES[0], defaults={"name": demo.SERIES[1]}
    )
    created = 0
    for slug, title, host_ags, date, start, end in demo.EVENTS:
        starts_at, ends_at = _when(date, start, end)
        event, was_created = Event.objects.get_or_create(
            slug=slug,
            defaults={
                "series": series,
                "title": title,
                "summary": demo.ASSUMED,
                "format": "hybrid",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "status": "veroeffentlicht",
                "capacity_onsite": 30,
                "capacity_online": 200,
            },
        )
        created += was_created
        event.hosts.add(_organization(host_ags))
        event.partners.add(*Organization.objects.filter(slug__in=["elfnullelf", "ncp"]))
    ravensburg = Event.objects.get(slug="ravensburg-2021")
    for position, (kind, title, people, project) in enumerate(demo.RAVENSBURG_PROGRAM):
        _item(ravensburg, position, kind, title, people, project)
    for event_slug, title, person, project in demo.OTHER_TALKS:
        _item(Event.objects.get(slug=event_slug), 1, "impuls", title, [person], project)
    created += _seed_upcoming(series)
    return created


def _seed_upcoming(series) -> int:
    data = demo.UPCOMING
    day = timezone.localdate() + datetime.timedelta(days=30)
    starts_at = datetime.datetime.combine(day, datetime.time(14), tzinfo=BERLIN)
    event, created = Event.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "series": series,
            "title": data["title"],
            "summary": data["summary"],
            "format": "hybrid",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "venue": data["venue"],
            "venue_address": data["venue_address"],
            "online_url": data["online_url"],
            "capacity_onsite": 20,
            "capacity_online": 100,
            "seats_per_organization": 5,
            "status": "veroeffentlicht",
        },
    )
    event.hosts.add(_organization(data["host_ags"]))
    if created:
        _item(event, 0, "begruessung", "Begrüßung", [], None)
        _item(event, 1, "impuls", "Erfahrungen mit dem Homeoffice (Beispiel)", [], None)
        _item(event, 2, "diskussion", "Moderierte Diskussion", [], None)
    return int(created)
