from django.conf import settings
from django.core.management.base import BaseCommand

from initiativek.events.services_privacy import registration_anonymize_expired
from initiativek.privacy.services import outbox_purge_old


class Command(BaseCommand):
    help = (
        "Anonymisiert die Teilnehmendendaten von Veranstaltungen, die länger als "
        "EVENT_PARTICIPANT_RETENTION_DAYS vorbei sind, und löscht E-Mails, die älter als "
        "MAIL_RETENTION_DAYS sind. Läuft auch in event_housekeeping; mehrfach ausführen "
        "ändert nichts."
    )

    def handle(self, *args, **options):
        anonymized = registration_anonymize_expired()
        mails = outbox_purge_old()
        self.stdout.write(
            f"{anonymized} Anmeldungen anonymisiert (Frist "
            f"{settings.EVENT_PARTICIPANT_RETENTION_DAYS} Tage), {mails} E-Mails gelöscht "
            f"(Frist {settings.MAIL_RETENTION_DAYS} Tage)."
        )
