"""Stage 3: events over two years back and two years ahead – series, hosts, formats,
capacities, and programs with speakers and linked projects. Registrations follow in
``registrations``.
"""

import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from initiativek.core.models import Topic
from initiativek.events.constants import (
    EventFormat,
    EventStatus,
    ProgramKind,
    ProgramRole,
    WaitlistMode,
)
from initiativek.events.models import Event, EventSeries, ProgramItem, ProgramPerson, Speaker
from initiativek.organizations.constants import OrganizationKind

from . import SLUG_PREFIX, names, texts
from .world import BATCH_SIZE, OrgInfo, Progress, World

BERLIN = ZoneInfo("Europe/Berlin")
DAYS_AROUND = 730
UNDATED_SHARE = 0.03
FORMAT_WEIGHTS = {EventFormat.ONSITE: 35, EventFormat.ONLINE: 40, EventFormat.HYBRID: 25}
ONSITE_SEATS = (20, 30, 40, 50, 60, 80, 100, 150, 200)
ONLINE_SEATS = (50, 100, 150, 200, 300, 500)
UNLIMITED_ONLINE_SHARE = 0.2
SERIES = ("Initiative K {year}", "Online-Werkstätten {year}", "Regionaltreffen {year}")
SERIES_BY_FORMAT = {EventFormat.HYBRID: 0, EventFormat.ONLINE: 1, EventFormat.ONSITE: 2}
TITLES = texts.phrases(
    "Erfahrungsaustausch: {Thing}|Werkstatt {thing}|Fachtag {topic}|"
    "Online-Sprechstunde {thing}|Regionaltreffen {town}: {topic}|{Thing} in der Praxis|"
    "Praxisforum {topic}|Impulse aus {town}: {thing}"
)
VENUES = texts.phrases(
    "Rathaus {town}, Großer Sitzungssaal|Bürgerhaus {town}|Landratsamt {town}, Saal 1|"
    "Stadthalle {town}|Technologiezentrum {town}"
)
STREETS = texts.phrases("Marktplatz|Rathausplatz|Hauptstraße|Schlossstraße|Bahnhofstraße")
REPORT = (
    "Die Teilnehmenden tauschten sich intensiv aus; die Folien der Impulse stehen im "
    "Programm bereit. Mehrere Kommunen wollen gemeinsam weiterarbeiten."
)


@dataclass
class _Event:
    row: Event
    hosts: list[int]
    partners: list[int]
    topics: list[Topic]
    items: list[tuple[ProgramItem, list[tuple[int, str]], list[int]]] = field(
        default_factory=list
    )  # (item, [(speaker index, role)], project pks)


def _series(world: World) -> dict[tuple[int, int], EventSeries]:
    rows = {}
    for year in range(world.today.year - 2, world.today.year + 3):
        for index, pattern in enumerate(SERIES):
            name = pattern.format(year=year)
            rows[(year, index)] = EventSeries(
                name=name,
                slug=f"{SLUG_PREFIX}{slugify(name)}",
                description="Synthetische Testdaten.",
            )
    EventSeries.objects.bulk_create(list(rows.values()))
    world.counts["event series"] += len(rows)
    return rows


def _moment(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def _status(rng: random.Random, past: bool) -> str:
    weights = (92, 3, 5) if past else (75, 20, 5)
    statuses = (EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED)
    return rng.choices(statuses, weights)[0]


def _when(rng: random.Random, today: datetime.date):
    """(starts, ends, day) – a day within two years either side, or an undated event."""
    if rng.random() < UNDATED_SHARE:
        return None, None, today + datetime.timedelta(days=rng.randint(60, DAYS_AROUND))
    day = today + datetime.timedelta(days=rng.randint(-DAYS_AROUND, DAYS_AROUND))
    starts = _moment(day, rng.choice((9, 10, 13, 14, 16)), rng.choice((0, 30)))
    ends = starts + datetime.timedelta(minutes=rng.choice((90, 120, 180, 240, 360, 420)))
    return starts, ends, day


def _event(rng, world, ctx, number: int) -> _Event:
    starts, ends, day = _when(rng, world.today)
    past = day < world.today
    fmt = rng.choices(list(FORMAT_WEIGHTS), list(FORMAT_WEIGHTS.values()))[0]
    hosts = [rng.choices(ctx.hosts, ctx.host_weights)[0] for _ in range(rng.choice((1, 1, 1, 2)))]
    hosts = list({host.pk: host for host in hosts}.values())
    topics = sorted(set(rng.choices(ctx.topics, k=rng.randint(1, 2))), key=lambda t: t.position)
    words = texts.words_for(topics[0].slug)
    thing = rng.choice(words.things)
    town = hosts[0].town
    title = rng.choice(TITLES).format(
        Thing=thing[:1].upper() + thing[1:], thing=thing, topic=topics[0].name, town=town
    )[:200]
    slug = f"{SLUG_PREFIX}{slugify(title)[:80].strip('-')}-{number}"
    onsite = fmt != EventFormat.ONLINE
    online = fmt != EventFormat.ONSITE
    row = Event(
        series=ctx.series[(day.year, SERIES_BY_FORMAT[fmt])],
        title=title,
        slug=slug,
        summary=texts.summary(rng, list(words.things)),
        description=texts.description(rng, list(words.things)),
        format=fmt,
        starts_at=starts,
        ends_at=ends,
        venue=rng.choice(VENUES).format(town=town) if onsite else "",
        venue_address=(
            f"{rng.choice(STREETS)} {rng.randint(1, 40)}\n{rng.randint(10000, 99999)} {town}"
            if onsite
            else ""
        ),
        online_url=f"https://meet.example.org/{slug}" if online else "",
        capacity_onsite=rng.choice(ONSITE_SEATS) if onsite else None,
        capacity_online=(
            None
            if not online or rng.random() < UNLIMITED_ONLINE_SHARE
            else rng.choice(ONLINE_SEATS)
        ),
        seats_per_organization=rng.choice((3, 5)) if rng.random() < 0.2 else None,
        registration_opens_at=(starts - datetime.timedelta(days=rng.randint(30, 90)))
        if starts
        else None,
        registration_closes_at=(starts - datetime.timedelta(days=1)) if starts else None,
        status=_status(rng, past),
        waitlist_mode=rng.choice(WaitlistMode.values),
        report=REPORT if past and rng.random() < 0.3 else "",
    )
    partners = [rng.choice(ctx.partners).pk] if ctx.partners and rng.random() < 0.2 else []
    event = _Event(row, [host.pk for host in hosts], partners, topics)
    _program(rng, world, ctx, event, words)
    return event


@dataclass
class _Context:
    hosts: list[OrgInfo]
    host_weights: list[float]
    partners: list[OrgInfo]
    topics: list[Topic]
    series: dict
    speakers: list[Speaker] = field(default_factory=list)
    speaker_orgs: list[OrgInfo] = field(default_factory=list)


def _speaker(rng: random.Random, ctx: _Context) -> int:
    """Index of a speaker: often someone who spoke before, else a new person."""
    if ctx.speakers and rng.random() < 0.6:
        return rng.randrange(len(ctx.speakers))
    org = rng.choices(ctx.hosts, ctx.host_weights)[0]
    ctx.speakers.append(
        Speaker(
            name=names.person_name(rng),
            function=rng.choice(names.FUNCTIONS),
            organization_id=org.pk,
        )
    )
    ctx.speaker_orgs.append(org)
    return len(ctx.speakers) - 1


def _program(rng, world: World, ctx: _Context, event: _Event, words) -> None:
    starts = event.row.starts_at
    plan = [(ProgramKind.WELCOME, "Begrüßung", 15, ())]
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice((ProgramKind.IMPULSE, ProgramKind.TALK))
        thing = rng.choice(words.things)
        plan.append(
            (kind, f"{thing[:1].upper()}{thing[1:]} – Erfahrungen", 30, (ProgramRole.SPEAKER,))
        )
    if rng.random() < 0.5:
        plan.append((ProgramKind.BREAK, "Pause", 15, ()))
    if rng.random() < 0.7:
        plan.append((ProgramKind.DISCUSSION, "Moderierte Diskussion", 30, (ProgramRole.MODERATOR,)))
    plan.append((ProgramKind.CLOSING, "Abschluss-Statements & Ausblick", 15, ()))
    moment = starts
    for position, (kind, title, minutes, roles) in enumerate(plan):
        item = ProgramItem(
            position=position,
            kind=kind,
            title=title,
            starts_at=moment,
            ends_at=moment + datetime.timedelta(minutes=minutes) if moment else None,
        )
        people = [(_speaker(rng, ctx), role) for role in roles]
        if kind == ProgramKind.TALK and rng.random() < 0.3:
            people.append((_speaker(rng, ctx), ProgramRole.SPEAKER))
        projects = []
        if people and kind in (ProgramKind.IMPULSE, ProgramKind.TALK) and rng.random() < 0.5:
            owned = world.projects_by_owner.get(ctx.speaker_orgs[people[0][0]].pk, [])
            projects = [rng.choice(owned)] if owned else []
        event.items.append((item, people, projects))
        if moment:
            moment += datetime.timedelta(minutes=minutes)


def _write(world: World, ctx: _Context, events: list[_Event]) -> None:
    Event.objects.bulk_create([event.row for event in events], batch_size=BATCH_SIZE)
    Speaker.objects.bulk_create([s for s in ctx.speakers if s.pk is None], batch_size=BATCH_SIZE)
    for name, attribute in (("hosts", "hosts"), ("partners", "partners")):
        model = getattr(Event, name).through
        model.objects.bulk_create(
            (
                model(event_id=e.row.pk, organization_id=pk)
                for e in events
                for pk in getattr(e, attribute)
            ),
            batch_size=BATCH_SIZE,
        )
    topic_model = Event.topics.through
    topic_model.objects.bulk_create(
        (topic_model(event_id=e.row.pk, topic_id=t.pk) for e in events for t in e.topics),
        batch_size=BATCH_SIZE,
    )
    items = []
    for event in events:
        for item, _people, _projects in event.items:
            item.event_id = event.row.pk
            items.append(item)
    ProgramItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    ProgramPerson.objects.bulk_create(
        (
            ProgramPerson(item_id=item.pk, speaker_id=ctx.speakers[index].pk, role=role, position=n)
            for event in events
            for item, people, _projects in event.items
            for n, (index, role) in enumerate(dict.fromkeys(people))
        ),
        batch_size=BATCH_SIZE,
    )
    link = ProgramItem.projects.through
    link.objects.bulk_create(
        (
            link(programitem_id=item.pk, project_id=pk)
            for event in events
            for item, _people, projects in event.items
            for pk in projects
        ),
        batch_size=BATCH_SIZE,
    )
    world.counts["events"] += len(events)
    world.counts["program items"] += len(items)


def events_generate(world: World, progress: Progress, *, total: int) -> list[Event]:
    """Create ``total`` events; returns them (saved) for the registrations."""
    rng = world.rng("events")
    hosts = [
        org for org in world.members() if org.kind != OrganizationKind.PARTNER
    ] or world.organizations
    ctx = _Context(
        hosts=hosts,
        host_weights=[(org.population or 5_000) ** 0.5 for org in hosts],
        partners=[org for org in world.organizations if org.kind == OrganizationKind.PARTNER],
        topics=list(Topic.objects.order_by("position", "name")),
        series=_series(world),
    )
    progress.start(Event._meta.verbose_name_plural, total)
    events = []
    for number in range(1, total + 1):
        events.append(_event(rng, world, ctx, number))
        progress.advance()
    _write(world, ctx, events)
    world.counts["speakers"] += len(ctx.speakers)
    progress.finish()
    return [event.row for event in events]
