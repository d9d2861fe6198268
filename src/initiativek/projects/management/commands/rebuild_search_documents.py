from django.core.management.base import BaseCommand

from initiativek.projects.services import project_search_documents_rebuild


class Command(BaseCommand):
    help = (
        "Baut die Suchtexte aller Projekte neu auf (nötig auf SQLite, nachdem Themen oder "
        "Schlagwörter umbenannt wurden)."
    )

    def handle(self, *args, **options):
        count = project_search_documents_rebuild(
            progress=lambda done, total: self.stderr.write(f"\r{done}/{total}", ending="")
        )
        self.stdout.write(f"\n{count} Projekte aktualisiert.")
