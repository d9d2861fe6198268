from django.core.management.base import BaseCommand

from initiativek.core.constants import MailStatus
from initiativek.core.models import OutgoingMail
from initiativek.core.services import mail_requeue_stale, mail_send


class Command(BaseCommand):
    help = "Versucht alle noch nicht versendeten E-Mails erneut zu senden."

    def handle(self, *args, **options):
        mail_requeue_stale()
        ids = list(
            OutgoingMail.objects.filter(status=MailStatus.QUEUED).values_list("pk", flat=True)
        )
        sent = 0
        for index, mail_id in enumerate(ids, start=1):
            if mail_send(mail_id=mail_id).status == MailStatus.SENT:
                sent += 1
            self.stdout.write(f"\r{index}/{len(ids)}", ending="")
        self.stdout.write(f"\n{sent} von {len(ids)} E-Mails versendet.")
