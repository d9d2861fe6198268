from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")
    ONSITE = "praesenz", _("Präsenz")


class EventStatus(models.TextChoices):
    DRAFT = "entwurf", _("Entwurf")
    PUBLISHED = "veroeffentlicht", _("veröffentlicht")
    CANCELLED = "abgesagt", _("abgesagt")


class WaitlistMode(models.TextChoices):
    OFFER = "angebot", _("Platz anbieten und reservieren")
    AUTOMATIC = "automatisch", _("direkt nachrücken")


class AttendanceMode(models.TextChoices):
    ONSITE = "vor_ort", _("vor Ort")
    ONLINE = "online", _("online")


class RegistrationStatus(models.TextChoices):
    PENDING = "unbestaetigt", _("E-Mail-Bestätigung ausstehend")
    CONFIRMED = "bestaetigt", _("bestätigt")
    WAITLISTED = "warteliste", _("Warteliste")
    OFFERED = "angeboten", _("Platz angeboten")
    CANCELLED = "storniert", _("storniert")


# Statuses that hold a seat; a seat is never given twice.
SEAT_HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# Statuses of a registration that still counts as the person's one registration.
ACTIVE = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)


class ProgramKind(models.TextChoices):
    WELCOME = "begruessung", _("Begrüßung")
    IMPULSE = "impuls", _("Impulsvortrag / Best Practice")
    TALK = "vortrag", _("Vortrag")
    DISCUSSION = "diskussion", _("moderierte Diskussion")
    BREAK = "pause", _("Pause")
    CLOSING = "abschluss", _("Abschluss-Statements & Ausblick")


class ProgramRole(models.TextChoices):
    SPEAKER = "referent", _("Vortrag")
    MODERATOR = "moderation", _("Moderation")


# Version of the privacy notice shown with the registration form; stored with each consent.
PRIVACY_TEXT_VERSION = "2026-11-24"

# Upper bound of offer and reminder periods (hours): one year.
MAX_HOURS = 24 * 366
