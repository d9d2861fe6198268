"""Runs the generator's stages, each in its own transaction, and reports what was made."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiativek.organizations.models import Organization

from . import SLUG_PREFIX, events, organizations, projects, registrations, surveys
from .clear import synthetic_clear
from .world import GenerationError, Progress, World


@dataclass(frozen=True)
class Options:
    seed: int
    organizations: int
    projects: int
    events: int
    registrations: int
    responses: int | None  # None: one per member municipality
    directory: Path | None  # a GV100AD file to take municipality names from
    today: datetime.date


class AlreadyGenerated(GenerationError):
    """The database holds generated data already (clear it first)."""


def synthetic_exists() -> bool:
    return Organization.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def synthetic_generate(options: Options, write: Callable[[str], None]) -> World:
    """Generate everything ``options`` asks for; ``write`` gets the progress lines.

    Precondition: no generated data in the database (``AlreadyGenerated`` otherwise); run
    ``synthetic_clear`` first. Texts are German whatever the active language.
    """
    if synthetic_exists():
        raise AlreadyGenerated
    world = World(seed=options.seed, today=options.today)
    progress = Progress(write)
    with translation.override("de"):
        with transaction.atomic():
            promoted = organizations.organizations_generate(
                world,
                progress,
                total=options.organizations,
                directory=options.directory,
                respondents=options.responses,
            )
        if promoted:
            write(
                ngettext(
                    "%(count)s weitere Organisation wurde Mitglied, damit genug antworten.",
                    "%(count)s weitere Organisationen wurden Mitglied, damit genug antworten.",
                    promoted,
                )
                % {"count": promoted}
            )
        with transaction.atomic():
            projects.projects_generate(world, progress, total=options.projects)
        with transaction.atomic():
            made = events.events_generate(world, progress, total=options.events)
            registrations.registrations_generate(world, progress, made, total=options.registrations)
        if options.responses != 0:
            with transaction.atomic():
                surveys.responses_generate(world, progress, count=options.responses)
    if connection.vendor == "postgresql":
        # After a bulk load the planner's statistics are stale until autovacuum catches up;
        # a search over 100,000 projects then takes seconds instead of milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        write(_("Statistiken der Datenbank aktualisiert (ANALYZE)."))
    world.stage_seconds = progress.stage_times
    world.seconds = progress.elapsed()
    return world


__all__ = [
    "AlreadyGenerated",
    "GenerationError",
    "Options",
    "synthetic_clear",
    "synthetic_exists",
    "synthetic_generate",
]
