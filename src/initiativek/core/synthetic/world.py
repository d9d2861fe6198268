"""What one stage of the generator hands to the next, and how stages report progress."""

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import reset_queries
from django.utils.translation import gettext as _

BATCH_SIZE = 1000


class GenerationError(Exception):
    """The generator cannot run on this database as asked; the message says why (German)."""


@dataclass(frozen=True)
class OrgInfo:
    pk: int
    name: str
    slug: str
    kind: str
    is_member: bool
    population: int | None
    town: str  # the town it belongs to (its own name for municipalities)


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    email: str


@dataclass
class World:
    """The generated data the later stages build on; ``counts`` holds the rows created per
    model (verbose plural name → number)."""

    seed: int
    today: datetime.date
    organizations: list[OrgInfo] = field(default_factory=list)
    users: dict[int, list[Person]] = field(default_factory=dict)  # organization pk → people
    contacts: dict[int, int] = field(default_factory=dict)  # organization pk → contact pk
    projects_by_owner: dict[int, list[int]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    email_number: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def rng(self, stage: str) -> random.Random:
        """The stage's own generator: stages don't shift each other's random numbers."""
        return random.Random(f"initiativek-synthetic:{self.seed}:{stage}")  # noqa: S311

    def next_email_number(self) -> int:
        self.email_number += 1
        return self.email_number

    def members(self) -> list[OrgInfo]:
        return [org for org in self.organizations if org.is_member]


class Progress:
    """Prints a line when a stage starts, at every tenth of it and when it ends."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.started = time.monotonic()
        self.stage_times: dict[str, float] = {}
        self._label = ""
        self._total = 0
        self._done = 0
        self._next_tenth = 1
        self._stage_started = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def start(self, label: str, total: int) -> None:
        self._label, self._total, self._done, self._next_tenth = label, total, 0, 1
        self._stage_started = time.monotonic()
        self.write(_("%(stage)s: %(total)s werden erzeugt …") % {"stage": label, "total": total})

    def advance(self, count: int = 1) -> None:
        # Called after every batch: with DEBUG on, Django would otherwise keep the SQL of
        # thousands of bulk inserts in memory.
        reset_queries()
        self._done += count
        tenth = self._done * 10 // self._total if self._total else 10
        if self._next_tenth <= tenth < 10:
            self._line()
        self._next_tenth = max(self._next_tenth, tenth + 1)

    def finish(self) -> None:
        self._done = self._total
        seconds = time.monotonic() - self._stage_started
        self.stage_times[self._label] = seconds
        self._line()

    def _line(self) -> None:
        percent = round(100 * self._done / self._total) if self._total else 100
        self.write(
            _("  %(stage)s: %(done)s/%(total)s (%(percent)s %%), %(seconds).1f s")
            % {
                "stage": self._label,
                "done": self._done,
                "total": self._total,
                "percent": percent,
                "seconds": time.monotonic() - self._stage_started,
            }
        )
