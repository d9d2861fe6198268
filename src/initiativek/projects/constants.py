from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    IDEA = "idee", _("Idee")
    PLANNED = "geplant", _("geplant")
    IN_PROGRESS = "in_umsetzung", _("in Umsetzung")
    DONE = "umgesetzt", _("umgesetzt")
    STOPPED = "eingestellt", _("eingestellt")


# Projects other members may still join: "who else plans this".
PLANNING_STATUSES = (ProjectStatus.IDEA, ProjectStatus.PLANNED)


class Publication(models.TextChoices):
    DRAFT = "entwurf", _("Entwurf")
    PUBLISHED = "veroeffentlicht", _("veröffentlicht")
    ARCHIVED = "archiviert", _("archiviert")


class OzgField(models.TextChoices):
    """The 14 Themenfelder of the OZG catalog."""

    ARBEIT = "arbeit-ruhestand", _("Arbeit & Ruhestand")
    BAUEN = "bauen-wohnen", _("Bauen & Wohnen")
    BILDUNG = "bildung", _("Bildung")
    EINWANDERUNG = "ein-auswanderung", _("Ein- & Auswanderung")
    ENGAGEMENT = "engagement-hobby", _("Engagement & Hobby")
    FAMILIE = "familie-kind", _("Familie & Kind")
    FORSCHUNG = "forschung-foerderung", _("Forschung & Förderung")
    GESUNDHEIT = "gesundheit", _("Gesundheit")
    MOBILITAET = "mobilitaet-reisen", _("Mobilität & Reisen")
    QUERSCHNITT = "querschnitt", _("Querschnitt")
    RECHT = "recht-ordnung", _("Recht & Ordnung")
    STEUERN = "steuern-zoll", _("Steuern & Zoll")
    UMWELT = "umwelt", _("Umwelt")
    UNTERNEHMEN = "unternehmen", _("Unternehmensführung & -entwicklung")


class BudgetRange(models.TextChoices):
    UNKNOWN = "", _("nicht angegeben")
    UNDER_10K = "bis-10k", _("bis 10.000 €")
    UNDER_50K = "10k-50k", _("10.000 bis 50.000 €")
    UNDER_250K = "50k-250k", _("50.000 bis 250.000 €")
    UNDER_1M = "250k-1m", _("250.000 bis 1 Mio. €")
    OVER_1M = "ueber-1m", _("über 1 Mio. €")


class TagKind(models.TextChoices):
    TECHNOLOGY = "technologie", _("Technologie / Produkt")
    VENDOR = "anbieter", _("Anbieter")


class InterestKind(models.TextChoices):
    REUSE = "nachnutzen", _("nachnutzen")
    COOPERATE = "kooperieren", _("kooperieren")
    QUESTION = "frage", _("Frage stellen")


# Attachments: what may be uploaded, recognised by content (not by name).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
