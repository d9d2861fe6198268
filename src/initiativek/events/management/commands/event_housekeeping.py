from django.core.management.base import BaseCommand

from initiativek.cooperation.services import statement_followup_remind_due
from initiativek.events.services import (
    event_send_reminders,
    registration_purge_unconfirmed,
    waitlist_expire_offers,
)
from initiativek.events.services_privacy import registration_anonymize_expired
from initiativek.privacy.services import outbox_purge_old


class Command(BaseCommand):
    help = (
        "Gibt abgelaufene Platzangebote weiter, verschickt fällige Erinnerungen und erinnert "
        "an Abschluss-Statements, aus denen noch keine Kooperation entstanden ist, "
        "anonymisiert Teilnehmendendaten vergangener Veranstaltungen und löscht alte "
        "E-Mails aus dem Postausgang (regelmäßig ausführen, z. B. alle 10 Minuten)."
    )

    def handle(self, *args, **options):
        expired = waitlist_expire_offers()
        reminded = event_send_reminders()
        purged = registration_purge_unconfirmed()
        # The follow-up of closing statements (also ``cooperation_followup`` on its own) runs
        # here so the one task operators schedule covers it; it reminds nobody twice.
        followups = statement_followup_remind_due()
        # Retention (DSGVO): both only touch what is past its time, so repeating is harmless.
        anonymized = registration_anonymize_expired()
        mails = outbox_purge_old()
        self.stdout.write(
            f"{expired} abgelaufene Platzangebote weitergegeben, "
            f"{reminded} Erinnerungen verschickt, {purged} unbestätigte Anmeldungen gelöscht, "
            f"{followups} Erinnerungen an Abschluss-Statements, "
            f"{anonymized} Anmeldungen anonymisiert, {mails} alte E-Mails gelöscht."
        )
