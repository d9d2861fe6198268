from django.core.management.base import BaseCommand

from initiativek.cooperation.services import statement_followup_remind_due


class Command(BaseCommand):
    help = (
        "Erinnert die Organisationen an Abschluss-Statements vergangener Veranstaltungen, aus "
        "denen nach COOPERATION_FOLLOWUP_WEEKS Wochen kein Kooperationsvorschlag entstanden "
        "ist – jedes Statement einmal (mehrfaches Ausführen erinnert niemanden doppelt)."
    )

    def handle(self, *args, **options):
        reminded = statement_followup_remind_due()
        self.stdout.write(f"Erinnerungen an Abschluss-Statements: {reminded}")
