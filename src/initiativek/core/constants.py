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


class NotificationKind(models.TextChoices):
    """What a notification is about; each person chooses per kind whether it also comes by
    e-mail (in the platform it always appears)."""

    GENERAL = "allgemein", _("Allgemeine Hinweise der Plattform")
    PROJECT_INTEREST = "projekt_interesse", _("Interesse an Projekten meiner Organisation")
    JOIN_REQUEST = "kooperation_anfrage", _("Beitrittsanfragen zu unseren Kooperationen")
    JOIN_DECISION = "kooperation_entscheidung", _("Entscheidungen über unsere Beitrittsanfragen")
    COOPERATION_POST = "kooperation_beitrag", _("Neue Beiträge in meinen Kooperationen")
    COOPERATION_STATUS = "kooperation_status", _("Statusänderungen meiner Kooperationen")
    STATEMENT_FOLLOWUP = (
        "statement_nachfassen",
        _("Erinnerungen an Abschluss-Statements von Veranstaltungen"),
    )
    QUESTIONNAIRE = "fragebogen", _("Neue Fragebögen im Erfahrungsaustausch")
