from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import MailStatus, NotificationKind


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class CheckedUpload(models.Model):
    """Fields of an uploaded file whose type was checked by content (see
    ``projects.attachments.attachment_inspect``); subclasses add ``file`` with their own
    storage path and the object the file belongs to."""

    title = models.CharField(_("Bezeichnung"), max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """A topic of the admin-editable taxonomy (e.g. "eAkte/DMS"), used by projects and events."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message for one person inside the platform (the bell in the header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(
        _("Art"),
        max_length=40,
        choices=NotificationKind.choices,
        default=NotificationKind.GENERAL,
    )
    text = models.CharField(_("Text"), max_length=300)
    url = models.CharField(_("Link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """A person's choice to get (or not) e-mails for one kind of notification; without a row
    e-mails are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("Art"), max_length=40, choices=NotificationKind.choices)
    email = models.BooleanField(_("auch per E-Mail"), default=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"


class AuditEntry(models.Model):
    """One change on the platform: who did what to which object (STYLE: dotted action codes)."""

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgeführt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=255, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the form on the accessibility statement (L-BGG)."""

    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    handled = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.page_url or '–'}"


class OutgoingMail(models.Model):
    """A mail the platform must deliver. Stored first, sent by a background task and retried,
    so a failing mail server never loses a message."""

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True, db_index=True)
    to = models.JSONField(_("Empfänger"))
    subject = models.CharField(_("Betreff"), max_length=300)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    reply_to = models.CharField(_("Antwort an"), max_length=254, blank=True)
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    sensitive = models.BooleanField(
        _("vertraulich"),
        default=False,
        help_text=_(
            "Enthält Anmelde- oder Einladungslinks; der Text wird nach dem Versand gelöscht."
        ),
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    claimed_at = models.DateTimeField(_("Versand begonnen am"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
