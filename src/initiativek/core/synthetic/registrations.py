"""Stage 3b: registrations of members and guests for the published (and cancelled) events.

Seats are handed out as the registration service would: in order of registration, confirmed
while seats are free in the chosen mode, then the waiting list – so no event is overbooked. At
most ``seats_per_organization`` active registrations per organization; one active registration
per address and event.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from initiativek.events.constants import (
    PRIVACY_TEXT_VERSION,
    AttendanceMode,
    EventStatus,
    RegistrationStatus,
)
from initiativek.events.models import Event, Registration

from . import names
from .world import BATCH_SIZE, OrgInfo, Person, Progress, World

MEMBER_SHARE = 0.4
CANCEL_SHARE = 0.08
PENDING_SHARE = 0.04  # guests of future events who have not confirmed their address yet
LISTED_SHARE = 0.3
ATTENDED_SHARE = 0.85
ACCESS_NEEDS = ("Rollstuhlgerechter Zugang", "Induktive Höranlage", "Untertitel im Stream")
UNLIMITED_WEIGHT = 300  # weight of a mode without a limit when spreading registrations
S = RegistrationStatus


@dataclass
class _Seats:
    """What one event has left while its registrations are handed out."""

    event: Event
    left: dict[str, int | None]
    per_organization: Counter
    users: set[int]


def _weight(event: Event) -> int:
    return sum(
        UNLIMITED_WEIGHT if event.capacity_for(m) is None else event.capacity_for(m)
        for m in event.modes
    )


def _registered_at(rng: random.Random, event: Event, today: datetime.date) -> datetime.datetime:
    fallback = datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(12))
    opens = event.registration_opens_at or fallback.replace(tzinfo=datetime.UTC)
    closes = event.registration_closes_at or opens + datetime.timedelta(days=30)
    now = datetime.datetime.combine(today, datetime.time(0), tzinfo=opens.tzinfo)
    closes = min(closes, now) if closes > opens else opens
    span = max((closes - opens).total_seconds(), 60)
    return opens + datetime.timedelta(seconds=rng.uniform(0, span))


def _who(
    rng, world: World, seats: _Seats, orgs: list[OrgInfo]
) -> tuple[Person, OrgInfo | None, bool]:
    """A member (an account of a member organization) or a guest."""
    if world.users and rng.random() < MEMBER_SHARE:
        org = rng.choice(orgs)
        person = rng.choice(world.users[org.pk])
        if person.pk not in seats.users:
            return person, org, True
    name = names.person_name(rng)
    guest = Person(0, name, names.email_for(name, world.next_email_number()))
    org = rng.choice(world.organizations) if rng.random() < 0.8 else None
    return guest, org, False


def _registration(rng, world: World, seats: _Seats, orgs: list[OrgInfo]) -> Registration:
    event = seats.event
    person, org, member = _who(rng, world, seats, orgs)
    mode = rng.choice(event.modes)
    at = _registered_at(rng, event, world.today)
    limit = event.seats_per_organization
    org_key = (org.pk if member else org.name.casefold()) if org else None
    full_for_org = bool(limit and org_key is not None and seats.per_organization[org_key] >= limit)
    past = event.starts_at is not None and event.starts_at.date() < world.today
    if event.status == EventStatus.CANCELLED or rng.random() < CANCEL_SHARE or full_for_org:
        status = S.CANCELLED
    elif not member and not past and rng.random() < PENDING_SHARE:
        status = S.PENDING
    elif seats.left[mode] is None or seats.left[mode] > 0:
        status = S.CONFIRMED
    else:
        status = S.WAITLISTED
    if status == S.CONFIRMED and seats.left[mode] is not None:
        seats.left[mode] -= 1
    if status != S.CANCELLED and org_key is not None:
        seats.per_organization[org_key] += 1
    if member:
        seats.users.add(person.pk)
    return Registration(
        event_id=event.pk,
        user_id=person.pk or None,
        name=person.name,
        email=person.email,
        organization_id=org.pk if member and org else None,
        organization_name="" if member or org is None else org.name,
        mode=mode,
        status=status,
        confirm_expires_at=at + datetime.timedelta(days=2) if status == S.PENDING else None,
        queued_at=at if status == S.WAITLISTED else None,
        privacy_consent_at=at,
        privacy_text_version=PRIVACY_TEXT_VERSION,
        listed=rng.random() < LISTED_SHARE,
        access_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.02 else "",
        language="en" if rng.random() < 0.05 else "de",
        attended_at=event.starts_at
        if past and status == S.CONFIRMED and rng.random() < ATTENDED_SHARE
        else None,
        cancelled_at=at + datetime.timedelta(hours=rng.randint(1, 240))
        if status == S.CANCELLED
        else None,
    )


def _takes_registrations(event: Event, today: datetime.date) -> bool:
    """Published or (later) cancelled, and the registration opened before ``today``."""
    if event.status == EventStatus.DRAFT or not event.modes:
        return False
    opens = event.registration_opens_at
    return opens is None or opens.date() < today


def registrations_generate(
    world: World, progress: Progress, events: list[Event], *, total: int
) -> int:
    """Spread ``total`` registrations over the events that take them; returns how many were
    created (0 when no event is published or cancelled)."""
    rng = world.rng("registrations")
    open_events = [event for event in events if _takes_registrations(event, world.today)]
    if not open_events:
        return 0
    counts = Counter(
        e.pk for e in rng.choices(open_events, [_weight(e) for e in open_events], k=total)
    )
    orgs = [org for org in world.members() if world.users.get(org.pk)]
    progress.start(Registration._meta.verbose_name_plural, total)
    batch: list[Registration] = []
    for event in open_events:
        seats = _Seats(
            event, {m: event.capacity_for(m) for m in AttendanceMode.values}, Counter(), set()
        )
        for _ in range(counts[event.pk]):
            batch.append(_registration(rng, world, seats, orgs))
        if len(batch) >= BATCH_SIZE * 5:
            Registration.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            progress.advance(len(batch))
            batch = []
    Registration.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    progress.advance(len(batch))
    world.counts["registrations"] += total
    progress.finish()
    return total
