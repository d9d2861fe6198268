from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ConsentPurpose, ConsentSource


class ConsentText(models.Model):
    """The exact wording a person agreed to, kept once per purpose, version and text.

    ``sha256`` is the hash of ``text`` (UTF-8): two records with the same hash saw the same
    words, even if someone forgot to raise ``version`` after an edit.
    """

    purpose = models.CharField(_("Zweck"), max_length=40, choices=ConsentPurpose.choices)
    version = models.CharField(_("Fassung"), max_length=40)
    language = models.CharField(_("Sprache"), max_length=10)
    text = models.TextField(_("Wortlaut"))
    sha256 = models.CharField(_("SHA-256 des Wortlauts"), max_length=64)
    created_at = models.DateTimeField(_("zuerst verwendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Wortlaut einer Einwilligung")
        verbose_name_plural = _("Wortlaute von Einwilligungen")
        ordering = ["purpose", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version", "sha256"], name="consent_text_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.version}, {self.sha256[:12]})"


class ConsentRecord(models.Model):
    """One consent: who gave it for what, to which wording, when – and when it was withdrawn.

    The person is ``user`` (with an account) or ``email`` (a guest); both are cleared when the
    data is anonymized, the record itself stays as proof that the consent existed. A
    registration that is deleted outright (a guest who never confirmed; the event deleted)
    takes its records with it: nothing of that person is kept.
    """

    purpose = models.CharField(
        _("Zweck"), max_length=40, choices=ConsentPurpose.choices, db_index=True
    )
    text = models.ForeignKey(
        ConsentText, verbose_name=_("Wortlaut"), on_delete=models.PROTECT, related_name="records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    registration = models.ForeignKey(
        "events.Registration",
        verbose_name=_("Anmeldung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    response = models.ForeignKey(
        "surveys.Response",
        verbose_name=_("Antwortbogen"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    source = models.CharField(
        _("Herkunft"), max_length=10, choices=ConsentSource.choices, default=ConsentSource.WEB
    )
    given_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at", "-pk"]
        indexes = [
            models.Index(fields=["registration", "purpose"]),
            models.Index(fields=["response", "purpose"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
