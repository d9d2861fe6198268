from django.core.management.base import BaseCommand

from initiativek.events.services import (
    event_send_reminders,
    registration_purge_unconfirmed,
    waitlist_expire_offers,
)


class Command(BaseCommand):
    help = (
        "Gibt abgelaufene Platzangebote weiter und verschickt fällige Erinnerungen "
        "(regelmäßig ausführen, z. B. alle 10 Minuten)."
    )

    def handle(self, *args, **options):
        expired = waitlist_expire_offers()
        reminded = event_send_reminders()
        purged = registration_purge_unconfirmed()
        self.stdout.write(
            f"{expired} abgelaufene Platzangebote weitergegeben, "
            f"{reminded} Erinnerungen verschickt, {purged} unbestätigte Anmeldungen gelöscht."
        )
