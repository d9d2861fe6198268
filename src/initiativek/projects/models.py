from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiativek.core.constants import Goal
from initiativek.core.models import CheckedUpload, TimeStampedModel, Topic
from initiativek.organizations.constants import Visibility
from initiativek.organizations.models import ContactPerson, Organization

from .constants import BudgetRange, InterestKind, OzgField, ProjectStatus, Publication, TagKind


class Tag(models.Model):
    """A free tag for technologies/products or vendors, offered as suggestion to others."""

    kind = models.CharField(_("Art"), max_length=20, choices=TagKind.choices)
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """A digitalization project of a member (SPEC §4)."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=220, unique=True)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=600)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown: **fett**, *kursiv*, Listen, Links")
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("Partnerorganisationen"),
        blank=True,
        related_name="partner_projects",
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_month = models.DateField(_("Beginn (Monat)"), null=True, blank=True)
    end_month = models.DateField(_("Ende (Monat)"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True)
    ozg_fields = models.JSONField(_("OZG-Themenfelder"), default=list, blank=True)
    technologies = models.ManyToManyField(
        Tag,
        verbose_name=_("Technologien und Produkte"),
        blank=True,
        related_name="technology_projects",
        limit_choices_to={"kind": TagKind.TECHNOLOGY},
    )
    vendors = models.ManyToManyField(
        Tag,
        verbose_name=_("Anbieter"),
        blank=True,
        related_name="vendor_projects",
        limit_choices_to={"kind": TagKind.VENDOR},
    )
    budget_range = models.CharField(
        _("Budget"), max_length=20, choices=BudgetRange.choices, blank=True
    )
    funding = models.CharField(_("Förderprogramm"), max_length=300, blank=True)
    effort = models.CharField(
        _("Aufwand"), max_length=300, blank=True, help_text=_("z. B. „2 Personen, 6 Monate“")
    )
    lessons_learned = models.TextField(_("Erfahrungen und Tipps"), blank=True)
    reuse_offered = models.BooleanField(_("Nachnutzung möglich"), default=False)
    reuse_conditions = models.TextField(_("Bedingungen der Nachnutzung"), blank=True)
    reuse_license = models.CharField(_("Lizenz"), max_length=100, blank=True)
    reuse_repository = models.URLField(_("Repository oder Bezugsquelle"), blank=True)
    contact = models.ForeignKey(
        ContactPerson,
        verbose_name=_("Ansprechperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    visibility = models.CharField(
        _("Sichtbar für"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    publication = models.CharField(
        _("Veröffentlichung"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    # Stemmed words of the searchable texts (German snowball); used where the database has no
    # German full-text search of its own (SQLite).
    search_document = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__isnull=True)
                | Q(start_month__isnull=True)
                | Q(end_month__gte=models.F("start_month")),
                name="project_end_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def ozg_labels(self) -> list[str]:
        labels = dict(OzgField.choices)
        return [str(labels.get(value, value)) for value in self.ozg_fields]


class ProjectGoal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.PositiveSmallIntegerField(_("Ziel"), choices=Goal.choices)

    class Meta:
        verbose_name = _("Ziel des Projekts")
        verbose_name_plural = _("Ziele der Projekte")
        constraints = [
            models.UniqueConstraint(fields=["project", "goal"], name="project_goal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.goal}"


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("Bezeichnung"), max_length=200)
    url = models.URLField(_("Adresse"))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Link")
        verbose_name_plural = _("Links")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: "ProjectAttachment", filename: str) -> str:
    # Stored under MEDIA_ROOT (outside the static web root) with a random name; served only
    # through the permission-checking view.
    import secrets

    return f"projects/{instance.project_id}/{secrets.token_hex(16)}"


class ProjectAttachment(CheckedUpload):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to=attachment_path, max_length=300)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["created_at"]

    def get_absolute_url(self) -> str:
        return reverse("projects:attachment", kwargs={"slug": self.project.slug, "pk": self.pk})


class ProjectVersion(models.Model):
    """A snapshot of a project after each change: the history editors can look at."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=50)
    changed_fields = models.JSONField(_("geänderte Felder"), default=list)
    data = models.JSONField(_("Stand"), default=dict)

    class Meta:
        verbose_name = _("Projektversion")
        verbose_name_plural = _("Projektversionen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.created_at:%Y-%m-%d %H:%M}"


class ProjectInterest(TimeStampedModel):
    """A member organization's interest in another's project; one per organization."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interests")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="project_interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("Anliegen"), max_length=20, choices=InterestKind.choices)

    class Meta:
        verbose_name = _("Interesse an einem Projekt")
        verbose_name_plural = _("Interessen an Projekten")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="project_interest_one_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.project}"


class InterestMessage(models.Model):
    """One message of the exchange between the interested and the owning organization."""

    interest = models.ForeignKey(ProjectInterest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("Nachricht"), max_length=5000)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Nachricht zum Interesse")
        verbose_name_plural = _("Nachrichten zu Interessen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
