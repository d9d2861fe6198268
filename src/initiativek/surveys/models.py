"""Questionnaires of the experience exchange (SPEC §6) and the organizations' responses."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from initiativek.core.models import TimeStampedModel

from .constants import (
    OTHER_MAX_LENGTH,
    Phase,
    QuestionKind,
    QuestionnaireStatus,
    ResponseAction,
    ResponseStatus,
)


class Questionnaire(TimeStampedModel):
    """A questionnaire the team publishes to member organizations (or a template to copy).

    Answering is possible from ``opens_on`` to the end of ``closes_on`` (local dates) unless
    the team closed it early (``closed_at``).
    """

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    introduction = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Markdown: **fett**, *kursiv*, Listen, Links")
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    is_template = models.BooleanField(
        _("Vorlage"),
        default=False,
        help_text=_("Vorlagen werden nicht beantwortet, sondern kopiert."),
    )
    opens_on = models.DateField(_("offen ab"), null=True, blank=True)
    closes_on = models.DateField(_("offen bis einschließlich"), null=True, blank=True)
    closed_at = models.DateTimeField(_("vorzeitig geschlossen am"), null=True, blank=True)
    audience_kinds = models.JSONField(
        _("Zielgruppe nach Art"),
        default=list,
        blank=True,
        help_text=_("Leer: alle Mitgliedsorganisationen"),
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("Veranstaltung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaires",
        help_text=_("Für Feedback-Fragebögen zu einer Veranstaltung"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reminder_at = models.DateTimeField(_("zuletzt erinnert am"), null=True, blank=True)
    # Bumped by every change of a response or of the questions: the cache key of the results.
    results_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"slug": self.slug})

    def phase(self, today: datetime.date | None = None) -> str:
        from django.utils import timezone

        today = today or timezone.localdate()
        if self.is_template:
            return Phase.TEMPLATE
        if self.status != QuestionnaireStatus.PUBLISHED:
            return Phase.DRAFT
        if self.closed_at is not None or (self.closes_on and today > self.closes_on):
            return Phase.CLOSED
        if self.opens_on and today < self.opens_on:
            return Phase.SCHEDULED
        return Phase.OPEN

    def get_phase_display(self) -> str:
        return Phase(self.phase()).label

    @property
    def is_open(self) -> bool:
        return self.phase() == Phase.OPEN


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("Überschrift"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question. Once the questionnaire has answers, a question keeps its kind and its
    choices and can't be deleted – only retired (no longer asked, its answers kept)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("Abschnitt"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(
        _("Kennung"),
        max_length=60,
        help_text=_("Kurze, feste Kennung für Exporte, z. B. „anteil-mobil-vorher“"),
    )
    text = models.CharField(_("Frage"), max_length=500)
    help_text = models.TextField(_("Hilfetext"), blank=True)
    kind = models.CharField(_("Fragetyp"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    unit = models.CharField(
        _("Einheit"), max_length=30, blank=True, help_text=_("Nur bei Zahlen, z. B. „Geräte“")
    )
    min_value = models.DecimalField(
        _("kleinster Wert"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("größter Wert"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    scale_min_label = models.CharField(
        _("Bedeutung von 1"), max_length=60, blank=True, help_text=_("z. B. „gar nicht“")
    )
    scale_max_label = models.CharField(
        _("Bedeutung von 5"), max_length=60, blank=True, help_text=_("z. B. „sehr stark“")
    )
    allow_other = models.BooleanField(_("„Sonstiges“ mit Freitext anbieten"), default=False)
    is_retired = models.BooleanField(
        _("geschlossen"),
        default=False,
        help_text=_("Wird nicht mehr gefragt; vorhandene Antworten bleiben erhalten."),
    )

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["section__position", "section_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="question_unique_key_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("Antwortmöglichkeit"), max_length=200)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Response(TimeStampedModel):
    """The one response of an organization to a questionnaire, filled by its editors."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("abgeschickt am"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_named_text = models.BooleanField(
        _("Freitextantworten dürfen mit unserem Namen gezeigt werden"), default=False
    )
    consent_contact = models.BooleanField(
        _("Andere Mitglieder dürfen uns zu unseren Antworten ansprechen"), default=False
    )
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        ordering = ["questionnaire", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organization"],
                name="response_one_per_organization",
            )
        ]
        indexes = [models.Index(fields=["questionnaire", "status"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.organization}"


class Answer(models.Model):
    """The answer to one question; which field holds the value depends on the question's kind
    (choices; number for scale, number and percentage; boolean for yes/no; text)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    other_text = models.CharField(_("Sonstiges"), max_length=OTHER_MAX_LENGTH, blank=True)
    number_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    bool_value = models.BooleanField(null=True, blank=True)
    text_value = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = pgettext_lazy("Antworten auf Fragen", "Antworten")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response} – {self.question.key}"


class ResponseChange(models.Model):
    """Who changed what in a response: one entry per save, with old and new values."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=20, choices=ResponseAction.choices)
    changes = models.JSONField(_("Änderungen"), default=list, blank=True)
    created_at = models.DateTimeField(_("am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Änderung eines Antwortbogens")
        verbose_name_plural = _("Änderungen von Antwortbögen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.response} – {self.get_action_display()}"
