import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiativek.core.models import TimeStampedModel
from initiativek.core.text import search_text

from .constants import (
    MUNICIPAL_KINDS,
    ApplicationStatus,
    OrganizationKind,
    OrganizationSource,
    RegionLevel,
    Role,
    Visibility,
)

MUNICIPAL_KIND_VALUES = [str(kind) for kind in MUNICIPAL_KINDS]

ags_validator = RegexValidator(
    r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
)


class Region(models.Model):
    """A unit of the official territorial key: Land → Regierungsbezirk → Kreis → Gemeinde.

    ``key`` is the leading part of the regional key that identifies the unit (2, 3, 5 or 8
    digits; a Region has 4, a Gemeindeverband Kreis + 4 digits). Rows come from the Destatis
    Gemeindeverzeichnis and are maintained by ``import_municipalities``.
    """

    key = models.CharField(_("Schlüssel"), max_length=12, unique=True)
    level = models.CharField(_("Ebene"), max_length=20, choices=RegionLevel.choices)
    name = models.CharField(_("Name"), max_length=100)
    official_name = models.CharField(_("amtlicher Name"), max_length=100)
    seat = models.CharField(_("Sitz der Verwaltung"), max_length=100, blank=True)
    code = models.CharField(_("Textkennzeichen"), max_length=2, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    association = models.ForeignKey(
        "self",
        verbose_name=_("Gemeindeverband"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="association_members",
    )
    ars = models.CharField(_("Regionalschlüssel (ARS)"), max_length=12, blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("davon männlich"), null=True, blank=True)
    area_ha = models.PositiveIntegerField(_("Fläche in Hektar"), null=True, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    valid_on = models.DateField(_("Gebietsstand"), null=True, blank=True)

    class Meta:
        verbose_name = _("Gebietseinheit")
        verbose_name_plural = _("Gebietseinheiten")
        ordering = ["key"]
        indexes = [models.Index(fields=["level", "key"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """'Landkreis Ravensburg' for a Landkreis, else the name ('Reg.-Bez. Tübingen')."""
        if self.level == RegionLevel.KREIS and self.code in {"43", "44"}:
            prefix = _("Landkreis") if self.code == "44" else _("Kreis")
            return f"{prefix} {self.name}"
        return self.name

    def directory_url(self) -> str:
        """The directory filtered to this region, where the directory can filter by it."""
        params = {
            RegionLevel.REGIERUNGSBEZIRK: "regierungsbezirk",
            RegionLevel.KREIS: "kreis",
        }
        if self.level not in params:
            return ""
        return f"{reverse('organizations:directory')}?{params[self.level]}={self.key}"

    def ancestors(self) -> list["Region"]:
        """From the Land down to (excluding) this region."""
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Organization(TimeStampedModel):
    name = models.CharField(_("Name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True, default="")
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=220, unique=True)
    kind = models.CharField(_("Art"), max_length=30, choices=OrganizationKind.choices)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        blank=True,
        validators=[ags_validator],
        help_text=_("8 Ziffern, z. B. 08436064 für Ravensburg; Landkreise: Kreisschlüssel und 000"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("Gebiet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    website = models.URLField(_("Website"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("gehört zu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("z. B. Stadtwerke X gehören zur Stadt X"),
    )
    is_member = models.BooleanField(_("Mitglied der Initiative"), default=False, db_index=True)
    member_since = models.DateField(_("Mitglied seit"), null=True, blank=True)
    partner_role = models.CharField(
        _("Rolle in der Initiative"),
        max_length=200,
        blank=True,
        help_text=_("Nur für Partner, z. B. „betreut die Initiative“"),
    )
    source = models.CharField(
        _("Herkunft"),
        max_length=20,
        choices=OrganizationSource.choices,
        default=OrganizationSource.PLATFORM,
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ags", "kind"], condition=~Q(ags=""), name="organization_unique_ags_kind"
            ),
            # One organization per municipality, whatever kind of town it is.
            models.UniqueConstraint(
                fields=["ags"],
                condition=~Q(ags="") & Q(kind__in=MUNICIPAL_KIND_VALUES),
                name="organization_unique_municipality_ags",
                violation_error_message=_(
                    "Für diesen Gemeindeschlüssel gibt es bereits eine Organisation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived, not business logic: the folded name the directory search matches against.
        self.search_name = search_text(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})


class ContactPerson(models.Model):
    """A contact person shown on an organization's profile. Each detail has its own
    visibility; people named publicly get no invented contact details."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("Name"), max_length=150)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    visibility = models.CharField(
        _("Person sichtbar für"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    email_visibility = models.CharField(
        _("E-Mail sichtbar für"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    phone_visibility = models.CharField(
        _("Telefon sichtbar für"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("Zugehörigkeit")
        verbose_name_plural = _("Zugehörigkeiten")
        ordering = ["organization__name", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class MembershipApplication(TimeStampedModel):
    """A user asks to represent an organization in the initiative; the team decides."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("antragstellende Person"),
        on_delete=models.CASCADE,
        related_name="membership_applications",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="applications",
    )
    new_organization_name = models.CharField(_("Name der Organisation"), max_length=200, blank=True)
    new_organization_kind = models.CharField(
        _("Art der Organisation"), max_length=30, choices=OrganizationKind.choices, blank=True
    )
    new_organization_ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, blank=True, validators=[ags_validator]
    )
    new_organization_website = models.URLField(_("Website"), blank=True)
    applicant_function = models.CharField(_("Ihre Funktion"), max_length=200)
    message = models.TextField(_("Nachricht an das Team"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("Mitgliedschaftsantrag")
        verbose_name_plural = _("Mitgliedschaftsanträge")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "organization"],
                condition=Q(status="pending") & Q(organization__isnull=False),
                name="application_one_pending_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(new_organization_name=""),
                name="application_names_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.organization_name}"

    @property
    def organization_name(self) -> str:
        return self.organization.name if self.organization else self.new_organization_name


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
