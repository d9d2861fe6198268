import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiativek.core.models import CheckedUpload, TimeStampedModel, Topic
from initiativek.organizations.models import Organization
from initiativek.projects.models import Project

from .constants import (
    ACTIVE,
    MAX_HOURS,
    AttendanceMode,
    EventFormat,
    EventStatus,
    ProgramKind,
    ProgramRole,
    RegistrationStatus,
    WaitlistMode,
)


def _token() -> str:
    return secrets.token_urlsafe(32)


class EventSeries(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=200, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Veranstaltungsreihe")
        verbose_name_plural = _("Veranstaltungsreihen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(TimeStampedModel):
    """An online, hybrid or on-site event of the initiative (SPEC §5)."""

    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("Reihe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=220, unique=True)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=600, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    format = models.CharField(
        _("Format"), max_length=10, choices=EventFormat.choices, default=EventFormat.HYBRID
    )
    starts_at = models.DateTimeField(
        _("Beginn"), null=True, blank=True, help_text=_("Leer: Termin noch nicht bekannt")
    )
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    venue = models.CharField(_("Ort"), max_length=300, blank=True)
    venue_address = models.TextField(_("Adresse"), blank=True)
    online_url = models.URLField(
        _("Online-Zugang"),
        blank=True,
        help_text=_("Nur für bestätigte Teilnehmende sichtbar."),
    )
    capacity_onsite = models.PositiveIntegerField(_("Plätze vor Ort"), null=True, blank=True)
    capacity_online = models.PositiveIntegerField(_("Plätze online"), null=True, blank=True)
    seats_per_organization = models.PositiveIntegerField(
        _("Plätze je Organisation"),
        null=True,
        blank=True,
        help_text=_("Leer: keine Begrenzung"),
    )
    registration_opens_at = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("Anmeldung bis"), null=True, blank=True)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
        db_index=True,
    )
    hosts = models.ManyToManyField(
        Organization, verbose_name=_("Gastgeber"), related_name="hosted_events"
    )
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("begleitende Partner"),
        blank=True,
        related_name="partnered_events",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True)
    waitlist_mode = models.CharField(
        _("Warteliste"), max_length=20, choices=WaitlistMode.choices, default=WaitlistMode.OFFER
    )
    # At most a year: larger values would put offer deadlines and reminder times out of
    # the range of dates the platform computes with.
    offer_hold_hours = models.PositiveIntegerField(
        _("Angebot gilt (Stunden)"), default=48, validators=[MaxValueValidator(MAX_HOURS)]
    )
    reminder_hours_before = models.PositiveIntegerField(
        _("Erinnerung (Stunden vorher)"), default=24, validators=[MaxValueValidator(MAX_HOURS)]
    )
    ask_access_needs = models.BooleanField(_("nach Barrierefreiheit fragen"), default=True)
    report = models.TextField(_("Bericht"), blank=True)
    report_published_at = models.DateTimeField(
        _("Bericht veröffentlicht am"), null=True, blank=True
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Das Ende muss nach dem Beginn liegen."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def capacity_for(self, mode: str) -> int | None:
        """Seats in ``mode``; None means unlimited, 0 means the mode is not offered."""
        offered = {
            EventFormat.ONLINE: {AttendanceMode.ONLINE},
            EventFormat.ONSITE: {AttendanceMode.ONSITE},
            EventFormat.HYBRID: {AttendanceMode.ONLINE, AttendanceMode.ONSITE},
        }[self.format]
        if mode not in offered:
            return 0
        return self.capacity_onsite if mode == AttendanceMode.ONSITE else self.capacity_online

    @property
    def modes(self) -> list[str]:
        return [mode for mode in AttendanceMode.values if self.capacity_for(mode) != 0]


class Speaker(models.Model):
    """A person on the program: name, function and organization (no contact details)."""

    name = models.CharField(_("Name"), max_length=150)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speakers",
    )
    organization_name = models.CharField(
        _("Organisation (falls nicht im Verzeichnis)"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("Person im Programm")
        verbose_name_plural = _("Personen im Programm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization else self.organization_name


class ProgramItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="program")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    starts_at = models.DateTimeField(_("Beginn"), null=True, blank=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=ProgramKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    projects = models.ManyToManyField(
        Project, verbose_name=_("Projekte"), blank=True, related_name="program_items"
    )

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["position", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgramPerson(models.Model):
    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="people")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="appearances")
    role = models.CharField(
        _("Rolle"), max_length=20, choices=ProgramRole.choices, default=ProgramRole.SPEAKER
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Mitwirkende Person")
        verbose_name_plural = _("Mitwirkende Personen")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "speaker", "role"], name="program_person_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()})"


class Registration(TimeStampedModel):
    """One person's registration for an event. Seats are counted from these rows."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    organization_name = models.CharField(_("Organisation"), max_length=200, blank=True)
    mode = models.CharField(_("Teilnahme"), max_length=10, choices=AttendanceMode.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(_("auf der Warteliste seit"), null=True, blank=True)
    offered_until = models.DateTimeField(_("Platz reserviert bis"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("Einwilligung Datenschutz am"))
    privacy_text_version = models.CharField(_("Fassung des Datenschutzhinweises"), max_length=20)
    listed = models.BooleanField(_("in der Teilnehmendenliste zeigen"), default=False)
    access_needs = models.TextField(_("Bedarf an Barrierefreiheit"), blank=True, max_length=1000)
    language = models.CharField(_("Sprache"), max_length=5, default="de")
    attended_at = models.DateTimeField(_("anwesend"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[str(status) for status in ACTIVE]),
                name="registration_one_active_per_email",
                violation_error_message=_(
                    "Mit dieser E-Mail-Adresse gibt es bereits eine Anmeldung."
                ),
            )
        ]
        indexes = [models.Index(fields=["event", "mode", "status"])]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization else self.organization_name


class CalendarFeed(models.Model):
    """The secret address of a person's own calendar feed (includes online links)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("persönlicher Kalender")
        verbose_name_plural = _("persönliche Kalender")

    def __str__(self) -> str:
        return str(self.user)


def material_path(instance: "ProgramMaterial", filename: str) -> str:
    # Under MEDIA_ROOT with a random name; served only through the permission-checking view.
    return f"events/{instance.item.event_id}/{secrets.token_hex(16)}"


class ProgramMaterial(CheckedUpload):
    """A file for a program item (slides, handout), checked by content on upload."""

    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("Datei"), upload_to=material_path, max_length=300)

    class Meta:
        verbose_name = _("Material zum Programmpunkt")
        verbose_name_plural = _("Materialien zu Programmpunkten")
        ordering = ["created_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("events:material", kwargs={"slug": self.item.event.slug, "pk": self.pk})


class ClosingStatement(models.Model):
    """What an organization said in the closing round; may later become a cooperation
    proposal (SPEC §7), so it is a record of its own, not part of the report text."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="closing_statements")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="closing_statements",
    )
    text = models.TextField(_("Statement"), max_length=5000)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abschluss-Statement")
        verbose_name_plural = _("Abschluss-Statements")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} – {self.event}"
