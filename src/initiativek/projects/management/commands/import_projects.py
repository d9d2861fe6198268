from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from initiativek.organizations.models import Organization
from initiativek.projects import importing


class Command(BaseCommand):
    help = (
        "Importiert Projekte einer Organisation aus einer CSV- oder XLSX-Datei: alle Zeilen "
        "oder keine. Neue Projekte sind Entwürfe. Exit-Code 1, wenn es Probleme gibt."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- (UTF-8) oder XLSX-Datei")
        parser.add_argument("--organization", required=True, help="Kurzname der Organisation")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
        parser.add_argument(
            "--user",
            help="E-Mail-Adresse der Person, in deren Namen importiert wird "
            "(sonst das älteste Team-Konto)",
        )

    def handle(self, *args, **options):
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Keine Organisation mit dem Kurznamen {options['organization']!r}.")
        actor = self._actor(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Datei {path} nicht gefunden.")
        if path.stat().st_size > importing.IMPORT_MAX_BYTES:
            raise CommandError("Die Datei ist zu groß; erlaubt sind höchstens 2 MB.")
        try:
            table = importing.table_read(path.read_bytes())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            report = importing.project_import(
                actor=actor, owner=organization, table=table, dry_run=options["dry_run"]
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)
        if not report.ok:
            raise CommandError("Es gibt Probleme; es wurde nichts gespeichert.")

    def _actor(self, email: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if not email:
            # Versions and the audit log name a real account: the longest-standing team account.
            user = users.filter(is_staff=True).order_by("pk").first()
            if user is None:
                raise CommandError("Kein Team-Konto vorhanden; bitte --user angeben.")
            self.stdout.write(f"Import im Namen von {user.email} (Team).")
            return user
        user = users.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Keine aktive Person mit der E-Mail-Adresse {email!r}.")
        return user

    def _print(self, report: importing.ImportReport) -> None:
        labels = {
            importing.CREATE: "wird angelegt" if report.dry_run else "angelegt",
            importing.UPDATE: "wird geändert" if report.dry_run else "geändert",
            importing.INVALID: "Probleme",
        }
        for row in report.rows:
            slug = f" ({row.project.slug})" if report.imported and row.project else ""
            self.stdout.write(f"Zeile {row.number}: {labels[row.action]} – {row.title}{slug}")
        for line in report.lines():
            self.stderr.write(line)
        if report.ok:
            verb = "würden importiert" if report.dry_run else "importiert"
            self.stdout.write(f"{len(report.rows)} Zeilen {verb}.")
