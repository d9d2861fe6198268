"""``manage.py import_municipalities FILE``: the official municipality directory of Destatis."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiativek.organizations.importers.apply import ImportReport, directory_import
from initiativek.organizations.importers.auszuggv import parse_auszuggv
from initiativek.organizations.importers.gv100ad import (
    DirectoryFormatError,
    DirectoryRecord,
    Rejection,
    parse_gv100ad,
)

Reader = Callable[[bytes], Iterator[DirectoryRecord | Rejection]]
READERS: dict[str, Reader] = {"gv100ad": parse_gv100ad, "auszuggv": parse_auszuggv}
TTY_EVERY = 500
LOG_EVERY = 2000
SHOWN_REJECTIONS = 100


class Command(BaseCommand):
    help = gettext_lazy(
        "Importiert das amtliche Gemeindeverzeichnis (GV100AD-Textdatei oder AuszugGV.xlsx von "
        "Destatis): Gebietseinheiten und Organisationen der Gemeinden und Landkreise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("GV100AD-Datei (.txt) oder AuszugGV (.xlsx)"))
        parser.add_argument(
            "--land",
            help=gettext_lazy("nur dieses Land importieren, z. B. 08 für Baden-Württemberg"),
        )
        parser.add_argument(
            "--format", choices=["auto", "gv100ad", "auszuggv"], default="auto", dest="file_format"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("alles prüfen und zählen, aber nichts speichern"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        land = _land(options["land"])
        path = Path(options["file"])
        items = _read(path, options["file_format"])
        with transaction.atomic():
            report = directory_import(items, land=land, progress=self._progress)
            if options["dry_run"]:
                transaction.set_rollback(True)
        self._summary(report, dry_run=options["dry_run"], seconds=time.monotonic() - started)

    def _progress(self, done: int, total: int) -> None:
        message = _("%(done)s/%(total)s Zeilen") % {"done": done, "total": total}
        if self.stderr.isatty():
            if done % TTY_EVERY == 0 or done == total:
                self.stderr.write(
                    f"\r{message}", ending="\n" if done == total else "", style_func=str
                )
        elif done % LOG_EVERY == 0:
            self.stderr.write(message, style_func=str)

    def _summary(self, report: ImportReport, *, dry_run: bool, seconds: float) -> None:
        line = _("%(what)s: %(created)s neu, %(updated)s geändert, %(unchanged)s unverändert")
        self.stdout.write(line % {"what": _("Gebietseinheiten"), **vars(report.regions)})
        self.stdout.write(line % {"what": _("Organisationen"), **vars(report.organizations)})
        self.stdout.write(_("Abgelehnte Zeilen: %(count)s") % {"count": len(report.rejections)})
        for rejection in report.rejections[:SHOWN_REJECTIONS]:
            self.stdout.write(f"  {rejection}")
        if len(report.rejections) > SHOWN_REJECTIONS:
            more = len(report.rejections) - SHOWN_REJECTIONS
            self.stdout.write("  " + _("… und %(count)s weitere") % {"count": more})
        self.stdout.write(
            _("Dauer: %(seconds)s s") % {"seconds": number_format(seconds, decimal_pos=1)}
        )
        if dry_run:
            self.stdout.write(_("Probelauf: Es wurde nichts gespeichert."))


def _land(value: str | None) -> str | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 2):
        raise CommandError(
            _("--land erwartet den zweistelligen Länderschlüssel, z. B. 08 für Baden-Württemberg.")
        )
    return value.zfill(2)


def _read(path: Path, file_format: str) -> list[DirectoryRecord | Rejection]:
    """All records and rejections of the file; CommandError when it cannot be read at all."""
    if not path.is_file():
        raise CommandError(_("Die Datei %(path)s wurde nicht gefunden.") % {"path": path})
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(
            _("Die Datei %(path)s kann nicht gelesen werden: %(error)s")
            % {"path": path, "error": exc.strerror or exc}
        ) from exc
    if file_format == "auto":
        is_workbook = path.suffix.lower() == ".xlsx" or data.startswith(b"PK\x03\x04")
        file_format = "auszuggv" if is_workbook else "gv100ad"
    try:
        items = list(READERS[file_format](data))
    except DirectoryFormatError as exc:
        raise CommandError(str(exc)) from exc
    if not any(isinstance(item, DirectoryRecord) for item in items):
        first = _("Erste Ablehnung: %(rejection)s") % {"rejection": items[0]} if items else ""
        raise CommandError(
            _("Die Datei %(path)s enthält keinen gültigen Satz im Format %(format)s.")
            % {"path": path, "format": file_format}
            + (f" {first}" if first else "")
        )
    return items
