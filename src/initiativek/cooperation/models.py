"""The cooperation exchange (SPEC §7): proposals, their member organizations, requests to
join, the discussion thread – and what an organization hid from its recommendations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiativek.core.models import TimeStampedModel

from .constants import DismissalReason, JoinStatus, MemberRole, ProposalStatus
from .matching import SIGNALS, Weights


class CooperationProposal(TimeStampedModel):
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=220, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown: **fett**, *kursiv*, Listen, Links")
    )
    initiator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("initiiert von"),
        on_delete=models.PROTECT,
        related_name="initiated_cooperations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    topics = models.ManyToManyField("core.Topic", verbose_name=_("Themen"), blank=True)
    wanted_kinds = models.JSONField(
        _("gesuchte Partner nach Art"),
        default=list,
        blank=True,
        help_text=_("Leer: alle Arten von Organisationen"),
    )
    wanted_regions = models.ManyToManyField(
        "organizations.Region",
        verbose_name=_("gesuchte Partner aus"),
        blank=True,
        related_name="+",
        help_text=_("Regierungsbezirke oder Kreise; leer: aus ganz Baden-Württemberg"),
    )
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("verknüpfte Projekte"),
        blank=True,
        related_name="cooperations",
    )
    source_statement = models.ForeignKey(
        "events.ClosingStatement",
        verbose_name=_("aus Abschluss-Statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kooperationsvorschlag")
        verbose_name_plural = _("Kooperationsvorschläge")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:detail", kwargs={"slug": self.slug})


class CooperationMember(models.Model):
    """An organization taking part in a cooperation (the initiator included)."""

    proposal = models.ForeignKey(
        CooperationProposal, on_delete=models.CASCADE, related_name="members"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="cooperation_memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("dabei seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("beteiligte Organisation")
        verbose_name_plural = _("beteiligte Organisationen")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organization"], name="cooperation_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.proposal}"


class JoinRequest(TimeStampedModel):
    """An organization asks to take part; the initiator's editors accept or decline."""

    proposal = models.ForeignKey(
        CooperationProposal, on_delete=models.CASCADE, related_name="join_requests"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="cooperation_join_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("Nachricht"), max_length=3000)
    status = models.CharField(
        _("Status"), max_length=20, choices=JoinStatus.choices, default=JoinStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Begründung"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organization"],
                condition=Q(status="offen"),
                name="join_request_one_pending_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.proposal}"


class CooperationPost(models.Model):
    """A message in the cooperation's discussion thread (Markdown, sanitized on output)."""

    proposal = models.ForeignKey(
        CooperationProposal, on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("Beitrag"), max_length=10000)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.text[:40]}"


class RecommendationDismissal(models.Model):
    """An organization hides another one from its recommendations (already partners, or
    not interested)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("ausgeblendete Organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=DismissalReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("am"), auto_now_add=True)

    class Meta:
        verbose_name = _("ausgeblendete Empfehlung")
        verbose_name_plural = _("ausgeblendete Empfehlungen")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "other"], name="recommendation_dismissal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} blendet {self.other} aus"


class StatementFollowUp(models.Model):
    """When the initiators of a closing statement were reminded to turn it into a proposal."""

    statement = models.OneToOneField(
        "events.ClosingStatement", on_delete=models.CASCADE, related_name="followup"
    )
    reminded_at = models.DateTimeField(_("erinnert am"))
    reminded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Nachfassen zu einem Abschluss-Statement")
        verbose_name_plural = _("Nachfassen zu Abschluss-Statements")

    def __str__(self) -> str:
        return str(self.statement)


MATCH_WEIGHT_MAX = 100.0


def _weight_field(label: str) -> models.FloatField:
    return models.FloatField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(MATCH_WEIGHT_MAX)],
        help_text=_("leer: Wert aus der Einstellung COOPERATION_MATCH_WEIGHTS oder Standardwert"),
    )


class MatchWeights(models.Model):
    """The team's weights for the partner recommendations – at most one row.

    Effective weights, signal by signal: engine defaults (``matching.Weights``) ← the setting
    ``COOPERATION_MATCH_WEIGHTS`` ← the filled-in fields of this row (see
    ``recommendations.config.effective_match_weights``). The field names are those of
    ``matching.Weights``.
    """

    # Always True and unique: the database itself allows only one row.
    singleton = models.BooleanField(default=True, editable=False)
    shared_plans = _weight_field(_("Beide planen dasselbe"))
    learning = _weight_field(_("Eine setzt um, was die andere plant"))
    reuse = _weight_field(_("Bonus für angebotene Nachnutzung"))
    text = _weight_field(_("Ähnliche Projektbeschreibungen"))
    technology = _weight_field(_("Gleiche Technik oder Anbieter"))
    distance = _weight_field(_("Nähe (Entfernung)"))
    region = _weight_field(_("Gleicher Kreis oder Regierungsbezirk"))
    size = _weight_field(_("Ähnliche Größe"))
    kind = _weight_field(_("Gleiche Art der Organisation"))
    survey = _weight_field(_("Ähnliche Hindernisse im Homeoffice (Fragebogen)"))
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Gewichte der Empfehlungen")
        verbose_name_plural = _("Gewichte der Empfehlungen")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="match_weights_one_row"),
            models.CheckConstraint(condition=Q(singleton=True), name="match_weights_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Gewichte der Empfehlungen"))

    def overrides(self) -> dict[str, float]:
        """The filled-in weights by signal name."""
        return {name: value for name in SIGNALS if (value := getattr(self, name)) is not None}

    def clean(self) -> None:
        """Only one row; the weights must be what the engine accepts."""
        if MatchWeights.objects.exclude(pk=self.pk).exists():
            raise ValidationError(
                _("Es gibt schon Gewichte für die Empfehlungen. Bitte ändern Sie diese.")
            )
        try:
            Weights.from_mapping(self.overrides())
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
