from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")


class Phase(models.TextChoices):
    """Where a questionnaire stands today – derived from status, dates and early closing."""

    TEMPLATE = "template", _("Vorlage")
    DRAFT = "draft", _("Entwurf")
    SCHEDULED = "scheduled", _("geplant")
    OPEN = "open", _("offen")
    CLOSED = "closed", _("abgeschlossen")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    SCALE = "scale", _("Skala 1–5")
    NUMBER = "number", _("Zahl")
    PERCENTAGE = "percentage", _("Prozentwert")
    YES_NO = "yes_no", _("Ja/Nein")
    TEXT = "text", _("Freitext")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
NUMERIC_KINDS = (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE)

SCALE_MIN = 1
SCALE_MAX = 5
PERCENT_MIN = Decimal(0)
PERCENT_MAX = Decimal(100)
# Numbers are stored with two decimal places; larger figures make no sense in a questionnaire.
NUMBER_LIMIT = Decimal("999999999.99")
TEXT_MAX_LENGTH = 5000
OTHER_MAX_LENGTH = 300


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("abgeschickt")


class ResponseAction(models.TextChoices):
    SAVED = "saved", _("gespeichert")
    SUBMITTED = "submitted", _("abgeschickt")
    REOPENED = "reopened", _("zurück in den Entwurf")


class ProgressState(models.TextChoices):
    """Where an organization of the audience stands with a questionnaire (team overview)."""

    NOT_STARTED = "not_started", _("noch nicht begonnen")
    DRAFT = "draft", _("Entwurf gespeichert")
    SUBMITTED = "submitted", _("abgeschickt")


# Population classes (Gemeindegrößenklassen) for comparisons: (lower bound, label).
POPULATION_CLASSES = (
    (0, _("unter 5.000 Einwohner")),
    (5_000, _("5.000 bis unter 20.000 Einwohner")),
    (20_000, _("20.000 bis unter 50.000 Einwohner")),
    (50_000, _("50.000 bis unter 100.000 Einwohner")),
    (100_000, _("100.000 Einwohner und mehr")),
)
