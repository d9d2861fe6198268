"""Capacity is never exceeded, also under many concurrent registrations (SPEC §5).

Like pretix's concurrency test: many threads, a real database, no mocks. On PostgreSQL each
registration locks the event row; on SQLite each write transaction begins IMMEDIATE.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from initiativek.events import services
from initiativek.events.constants import RegistrationStatus
from initiativek.events.models import Event, Registration

THREADS = 200
SEATS = 20


def _event(**overrides) -> Event:
    values = {
        "title": "Kapazitätstest",
        "slug": f"kapazitaet-{Event.objects.count()}",
        "format": "praesenz",
        "status": "veroeffentlicht",
        "starts_at": timezone.now() + timedelta(days=7),
        "ends_at": timezone.now() + timedelta(days=7, hours=2),
        "capacity_onsite": SEATS,
        "waitlist_mode": "automatisch",
    }
    values.update(overrides)
    return Event.objects.create(**values)


def _workers() -> int:
    """Threads that start together, each with its own connection. On SQLite every
    registration has its own thread; PostgreSQL allows 100 connections by default, so 80
    threads share the 200 registrations there."""
    return 80 if connection.vendor == "postgresql" else THREADS


def _register_many(event: Event, count: int) -> list[Exception]:
    workers = _workers()
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []
    lock = threading.Lock()
    numbers = iter(range(count))

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                try:
                    services.registration_create(
                        event=event,
                        name=f"Person {number}",
                        email=f"person{number}@example.org",
                        mode="vor_ort",
                        email_verified=True,
                    )
                except Exception as exc:  # collected and asserted below
                    with lock:
                        errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_registrations_never_exceed_20_seats():
    event = _event()
    errors = _register_many(event, THREADS)
    assert errors == []
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    assert len(registrations) == THREADS  # none lost
    assert len({r.email for r in registrations}) == THREADS  # none duplicated
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    assert len(confirmed) == SEATS
    assert len(waitlisted) == THREADS - SEATS
    # The first twenty to get the lock got the seats; the waiting list keeps that order
    # (ids are drawn inside the locked transaction, so id order is lock order).
    assert {r.pk for r in confirmed} == {r.pk for r in registrations[:SEATS]}
    queue = sorted(waitlisted, key=lambda r: (r.queued_at, r.pk))
    assert [r.pk for r in queue] == [r.pk for r in registrations[SEATS:]]


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_move_up_each_waiting_person_once():
    event = _event(capacity_onsite=5)
    for number in range(15):
        services.registration_create(
            event=event,
            name=f"P{number}",
            email=f"p{number}@example.org",
            mode="vor_ort",
            email_verified=True,
        )
    tokens = list(
        Registration.objects.filter(event=event, status="bestaetigt").values_list(
            "token", flat=True
        )
    )
    errors: list[Exception] = []

    def cancel(token):
        try:
            services.registration_cancel(token=token)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    statuses = list(
        Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True)
    )
    assert statuses[:5] == ["storniert"] * 5
    assert statuses[5:10] == ["bestaetigt"] * 5  # the first five waiting, in order
    assert statuses[10:] == ["warteliste"] * 5


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_test_sees_overbooking(monkeypatch):
    """Proves the concurrency test can fail: with the event lock switched off, concurrent
    registrations on PostgreSQL overbook (SQLite serialises writers at BEGIN IMMEDIATE, so
    there is nothing to switch off)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises write transactions itself")
    monkeypatch.setattr(services, "_lock_event", lambda event_id: Event.objects.get(pk=event_id))
    overbooked = []
    for attempt in range(3):
        event = _event(slug=f"ohne-sperre-{attempt}")
        _register_many(event, THREADS)
        confirmed = Registration.objects.filter(event=event, status="bestaetigt").count()
        overbooked.append(confirmed)
        if confirmed > SEATS:
            break
    assert max(overbooked) > SEATS, overbooked
