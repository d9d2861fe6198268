from django.db import models
from django.utils.translation import gettext_lazy as _


class Goal(models.IntegerChoices):
    """The five goals of Initiative K (SPEC §1)."""

    HOMEOFFICE = (
        1,
        _(
            "Verwaltungsbetrieb digital, krisensicher und bürgernah auch im Homeoffice "
            "weiterentwickeln."
        ),
    )
    IT_RELIEF = 2, _("Kommunale IT-Abteilungen entlasten.")
    EFFICIENT_IT = 3, _("Effiziente IT-Lösungen finden.")
    WORK_HEALTH = 4, _("Arbeitsorganisation und Gesundheit im Homeoffice weiterentwickeln.")
    CLIMATE = 5, _("Klimaschutz und optimierte Gebäudenutzung vorantreiben.")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("in Warteschlange")
    SENDING = "sending", _("wird gesendet")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("endgültig fehlgeschlagen")
