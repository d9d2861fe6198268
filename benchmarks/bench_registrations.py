"""Registration throughput with 50 concurrent clients, and zero overbooking (issue 9, SPEC §5).

PostgreSQL only (on SQLite every write transaction is serialised by ``BEGIN IMMEDIATE``, so
there is nothing to measure about row locks; the module reports a skip). Each round creates
one published hybrid event with 100 seats on site, 100 online and an automatic waiting list,
then 50 client threads, each with its own database connection, start together and register
300 people through the real services: half as members (a signed-in user, seat allocated at
once) and half as guests (``registration_create`` and then ``registration_confirm_email``, as
the link in the e-mail does). Confirmation mails are queued as in production (outbox row and
task). Measured per round: registrations per second (wall time of the round) and each
registration's latency; checked afterwards: no mode holds more seats than it has, exactly
``min(capacity, demand)`` people are confirmed per mode and everyone else waits, no
registration is left unconfirmed. The event, its registrations, audit entries, queued mails and
their tasks are deleted after each round.

Standalone: ``python -m benchmarks.bench_registrations --database-url postgres://…``.
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = {"clients": 50, "registrations": 300, "capacity": 100, "rounds": 3}
BENCH_DOMAIN = "anmeldetest.invalid"
MODES = ("vor_ort", "online")


@dataclass
class Round:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds per registration
    errors: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # mode -> status -> n
    demand: dict[str, int] = field(default_factory=dict)  # mode -> registrations
    capacity: int = 0

    @property
    def registrations_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def overbooked(self) -> int:
        """Seats given beyond the capacity, summed over the modes (must be 0)."""
        return sum(max(self.seats(mode) - self.capacity, 0) for mode in self.counts)

    def seats(self, mode: str) -> int:
        counts = self.counts.get(mode, {})
        return counts.get("bestaetigt", 0) + counts.get("angeboten", 0)

    @property
    def inconsistencies(self) -> list[str]:
        """Everyone beyond the capacity waits; nobody is left unconfirmed or lost."""
        problems = []
        for mode, demand in self.demand.items():
            counts = self.counts.get(mode, {})
            expected_seats = min(self.capacity, demand)
            if self.seats(mode) != expected_seats:
                problems.append(f"{mode}: {self.seats(mode)} seats, expected {expected_seats}")
            if counts.get("warteliste", 0) != demand - expected_seats:
                problems.append(
                    f"{mode}: {counts.get('warteliste', 0)} waiting, "
                    f"expected {demand - expected_seats}"
                )
            if counts.get("unbestaetigt", 0):
                problems.append(f"{mode}: {counts['unbestaetigt']} left unconfirmed")
        return problems


def setup_django(database_url: str) -> None:
    """Configure Django for a standalone run (production settings, relaxed only for loopback);
    a runner that has set Django up already is left as it is."""
    from django.conf import settings

    if settings.configured:
        return
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiativek.conf.production")
    os.environ.setdefault("DATABASE_URL", database_url)
    os.environ.setdefault("SECRET_KEY", "bench-registrations-not-secret-0123456789-abcdefgh")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _event(capacity: int):
    from django.utils import timezone

    from initiativek.events.models import Event

    now = timezone.now()
    return Event.objects.create(
        title="Benchmark: gleichzeitige Anmeldungen",
        slug=f"bench-anmeldungen-{uuid.uuid4().hex[:12]}",
        format="hybrid",
        status="veroeffentlicht",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=3),
        capacity_onsite=capacity,
        capacity_online=capacity,
        waitlist_mode="automatisch",
        ask_access_needs=False,
    )


def _members(count: int) -> list[tuple[object, object]]:
    """(user, organization) of existing members, for the members' half of the registrations;
    fewer when the database has fewer (the rest register as guests)."""
    from initiativek.organizations.models import Membership

    memberships = Membership.objects.select_related("user", "organization").order_by("pk")
    chosen: dict[int, tuple[object, object]] = {}
    for item in memberships[: count * 2]:
        chosen.setdefault(item.user_id, (item.user, item.organization))
    return list(chosen.values())[:count]


def _plan(registrations: int) -> list[dict]:
    """Who registers, in which mode; members and guests alternate, so do the modes."""
    members = _members(registrations // 2)
    plan = []
    for number in range(registrations):
        mode = MODES[number % 2]
        member = members.pop() if number % 4 < 2 and members else None
        if member:
            user, organization = member
            plan.append(
                {
                    "mode": mode,
                    "user": user,
                    "organization": organization,
                    "name": user.name or user.email,
                    "email": user.email,
                }
            )
        else:
            plan.append(
                {
                    "mode": mode,
                    "user": None,
                    "organization": None,
                    "name": f"Gast {number}",
                    "email": f"gast{number}@{BENCH_DOMAIN}",
                }
            )
    return plan


def _register(event, person: dict) -> None:
    from initiativek.events import services

    registration = services.registration_create(
        event=event,
        name=person["name"],
        email=person["email"],
        mode=person["mode"],
        user=person["user"],
        organization=person["organization"],
        organization_name="" if person["organization"] else "Gastorganisation",
        email_verified=person["user"] is not None,
    )
    if person["user"] is None:  # the guest clicks the link in the confirmation mail
        services.registration_confirm_email(token=registration.token)


def _run_clients(event, plan: list[dict], clients: int, result: Round) -> None:
    from django.db import connection

    barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    queue = iter(plan)

    def client() -> None:
        try:
            barrier.wait(timeout=60)
            while True:
                with lock:
                    person = next(queue, None)
                if person is None:
                    return
                started = time.perf_counter()
                try:
                    _register(event, person)
                except Exception as exc:  # counted and reported, the round goes on
                    with lock:
                        result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    result.latencies.append(elapsed)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    result.seconds = time.perf_counter() - started


def _count(event, result: Round, plan: list[dict]) -> None:
    from django.db.models import Count

    from initiativek.events.models import Registration

    rows = (
        Registration.objects.filter(event=event)
        .values("mode", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        result.counts.setdefault(row["mode"], {})[row["status"]] = row["n"]
    for person in plan:
        result.demand[person["mode"]] = result.demand.get(person["mode"], 0) + 1


def _clean_up(event, emails: list[str], since) -> None:
    """Remove everything the round wrote: registrations go with the event."""
    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult

    from initiativek.core.models import AuditEntry, OutgoingMail

    mails = OutgoingMail.objects.filter(created_at__gte=since, to__0__in=emails)
    mail_ids = list(mails.values_list("pk", flat=True))
    DBTaskResult.objects.filter(
        enqueued_at__gte=since, args_kwargs__kwargs__mail_id__in=mail_ids
    ).delete()
    mails.delete()
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(event), object_id=str(event.pk)
    ).delete()
    event.delete()


def run_round(*, clients: int, registrations: int, capacity: int) -> Round:
    from django.utils import timezone

    since = timezone.now()
    event = _event(capacity)
    plan = _plan(registrations)
    result = Round(capacity=capacity)
    try:
        _run_clients(event, plan, clients, result)
        _count(event, result, plan)
    finally:
        _clean_up(event, [person["email"] for person in plan], since)
    return result


def measure(options: dict | None = None) -> list[Round]:
    options = {**DEFAULTS, **(options or {})}
    rounds = []
    for number in range(options["rounds"]):
        result = run_round(
            clients=options["clients"],
            registrations=options["registrations"],
            capacity=options["capacity"],
        )
        rounds.append(result)
        print(
            f"  round {number + 1}: {result.registrations_per_second:.1f} registrations/s, "
            f"overbooked {result.overbooked}, errors {len(result.errors)}, "
            f"counts {result.counts} ({_load()})",
            flush=True,
        )
    return rounds


def _load() -> str:
    try:
        return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load ?"


def results_from(rounds: list[Round], options: dict | None = None) -> list[Result]:
    options = {**DEFAULTS, **(options or {})}
    setup = (
        f"{options['clients']} Clients, je Runde {options['registrations']} Anmeldungen "
        f"(halb Mitglieder, halb Gäste mit E-Mail-Bestätigung) auf {options['capacity']} "
        f"Plätze vor Ort + {options['capacity']} online, {len(rounds)} Runden"
    )
    per_round = [result.registrations_per_second for result in rounds]
    errors = [error for result in rounds for error in result.errors]
    problems = [problem for result in rounds for problem in result.inconsistencies]
    return [
        Result(
            "Anmeldungen: Durchsatz bei 50 gleichzeitigen Clients",
            unit="Anm./s",
            total=round(statistics.median(per_round), 1) if per_round else None,
            higher_is_better=True,
            note=f"Median der Runden ({', '.join(f'{value:.1f}' for value in per_round)}); "
            + setup,
        ),
        Result(
            "Anmeldungen: Dauer je Anmeldung unter Last",
            values=[1000 * value for result in rounds for value in result.latencies],
            note="Gäste: Anmelden und Bestätigen; wartet auf die Sperre der Veranstaltung",
        ),
        Result(
            "Anmeldungen: Überbuchung",
            unit="Plätze",
            total=sum(result.overbooked for result in rounds),
            target=0,
            note="; ".join(problems) or "muss 0 sein; alle über der Kapazität auf der Warteliste",
        ),
        Result(
            "Anmeldungen: Fehler",
            unit="",
            total=len(errors),
            target=0,
            note="; ".join(sorted(set(errors))[:3]) or "muss 0 sein",
        ),
    ]


def run(ctx) -> list[Result]:
    if ctx.vendor != "postgresql":
        return [
            Result(
                "Anmeldungen: Durchsatz bei 50 gleichzeitigen Clients",
                unit="Anm./s",
                note="übersprungen: nur PostgreSQL (SQLite serialisiert jede Schreibtransaktion)",
            )
        ]
    setup_django(ctx.database_url)
    return results_from(measure())


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import markdown_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    for key, value in DEFAULTS.items():
        parser.add_argument(f"--{key}", type=int, default=value)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    setup_django(args.database_url)
    options = {key: getattr(args, key) for key in DEFAULTS}
    print(markdown_table(results_from(measure(options), options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
