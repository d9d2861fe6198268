"""``manage.py generate_synthetic``: a synthetic Germany for scale tests and benchmarks."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiativek.core.synthetic.runner import (
    AlreadyGenerated,
    GenerationError,
    Options,
    synthetic_clear,
    synthetic_generate,
)
from initiativek.events.models import Event, EventSeries, ProgramItem, Registration, Speaker
from initiativek.organizations.models import ContactPerson, Membership, Organization, Region
from initiativek.projects.models import Project, ProjectGoal
from initiativek.surveys.models import Answer, Response

MIN_ORGANIZATIONS = 10


def _labels() -> list[tuple[str, str]]:
    """(key of World.counts, German label) in the order of the summary."""

    def plural(model) -> str:
        return str(model._meta.verbose_name_plural)

    return [
        ("regions", plural(Region)),
        ("organizations", plural(Organization)),
        ("users", plural(get_user_model())),
        ("memberships", plural(Membership)),
        ("contacts", plural(ContactPerson)),
        ("tags", _("Schlagwörter (neu angelegt)")),
        ("projects", plural(Project)),
        ("topic links", _("Themen der Projekte")),
        ("tag links", _("Technologien und Anbieter der Projekte")),
        ("project goals", plural(ProjectGoal)),
        ("project partners", _("Partner der Projekte")),
        ("event series", plural(EventSeries)),
        ("events", plural(Event)),
        ("program items", plural(ProgramItem)),
        ("speakers", plural(Speaker)),
        ("registrations", plural(Registration)),
        ("responses", plural(Response)),
        ("answers", str(Answer._meta.verbose_name_plural)),
    ]


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(_("„%(value)s“ ist keine ganze Zahl.") % {"value": value}) from None
    if number < 0:
        raise CommandError(_("Anzahlen dürfen nicht negativ sein."))
    return number


class Command(BaseCommand):
    help = gettext_lazy(
        "Erzeugt synthetische Testdaten für ganz Deutschland (Gemeinden, Projekte, "
        "Veranstaltungen, Anmeldungen, Antworten) – reproduzierbar über --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=_count, default=11_000)
        parser.add_argument("--projects", type=_count, default=100_000)
        parser.add_argument("--events", type=_count, default=2_000)
        parser.add_argument("--registrations", type=_count, default=200_000)
        parser.add_argument(
            "--responses",
            type=_count,
            default=None,
            help=gettext_lazy("Antwortbögen; ohne Angabe einer je Mitgliedsgemeinde"),
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--directory",
            help=gettext_lazy("GV100AD-Datei, aus der die Gemeindenamen stammen (optional)"),
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help=gettext_lazy("zuvor erzeugte synthetische Daten erst löschen"),
        )
        parser.add_argument(
            "--clear-only",
            action="store_true",
            help=gettext_lazy("nur die synthetischen Daten löschen, nichts erzeugen"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"] or options["clear_only"]:
            counts = synthetic_clear()
            removed = ", ".join(f"{key}: {value}" for key, value in counts.items() if value)
            self.stdout.write(
                _("Synthetische Daten gelöscht (%(rows)s).") % {"rows": removed or "–"}
            )
            if options["clear_only"]:
                return
        if options["orgs"] < MIN_ORGANIZATIONS:
            raise CommandError(
                _("--orgs muss mindestens %(minimum)s sein.") % {"minimum": MIN_ORGANIZATIONS}
            )
        try:
            world = synthetic_generate(self._options(options), self.stdout.write)
        except AlreadyGenerated:
            raise CommandError(
                _("Die Datenbank enthält schon synthetische Daten; mit --clear werden sie ersetzt.")
            ) from None
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        self._summary(world, options["seed"])

    def _options(self, options: dict[str, Any]) -> Options:
        return Options(
            seed=options["seed"],
            organizations=options["orgs"],
            projects=options["projects"],
            events=options["events"],
            registrations=options["registrations"],
            responses=options["responses"],
            directory=self._directory(options["directory"]),
            today=timezone.localdate(),
        )

    def _directory(self, value: str | None) -> Path | None:
        if value:
            path = Path(value)
            if not path.is_file():
                raise CommandError(_("Die Datei %(path)s wurde nicht gefunden.") % {"path": path})
            return path
        self.stdout.write(
            _("Ohne --directory werden die Gemeindenamen aus Silben zusammengesetzt.")
        )
        return None

    def _summary(self, world, seed: int) -> None:
        rows = [(label, world.counts.get(key, 0)) for key, label in _labels()]
        width = max(len(label) for label, _count in rows)
        self.stdout.write("")
        self.stdout.write(_("Zusammenfassung (Startwert %(seed)s)") % {"seed": seed})
        self.stdout.write(f"{_('Art'):<{width}}  {_('Anzahl'):>10}")
        self.stdout.write(f"{'-' * width}  {'-' * 10}")
        for label, count in rows:
            self.stdout.write(f"{label:<{width}}  {number_format(count, force_grouping=True):>10}")
        for stage, seconds in world.stage_seconds.items():
            self.stdout.write(
                _("Dauer für %(stage)s: %(seconds)s s")
                % {"stage": stage, "seconds": number_format(seconds, decimal_pos=1)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Fertig in %(seconds)s s.")
                % {"seconds": number_format(world.seconds, decimal_pos=1)}
            )
        )
