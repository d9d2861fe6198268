from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    LAND = "land", _("Land")
    REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
    REGION = "region", _("Region")
    KREIS = "kreis", _("Kreis")
    GEMEINDEVERBAND = "gemeindeverband", _("Gemeindeverband")
    GEMEINDE = "gemeinde", _("Gemeinde")


class OrganizationKind(models.TextChoices):
    GEMEINDE = "gemeinde", _("Gemeinde")
    STADT = "stadt", _("Stadt")
    GROSSE_KREISSTADT = "grosse_kreisstadt", _("Große Kreisstadt")
    STADTKREIS = "stadtkreis", _("Stadtkreis")
    LANDKREIS = "landkreis", _("Landkreis")
    VERBAND = "verband", _("Verwaltungsverband / Zweckverband")
    STADTWERKE = "stadtwerke", _("Stadtwerke")
    OEPNV = "oepnv", _("ÖPNV")
    VER_ENTSORGUNG = "ver_entsorgung", _("Ver- und Entsorgung")
    KRANKENHAUS = "krankenhaus", _("Krankenhaus")
    FEUERWEHR = "feuerwehr", _("Feuerwehr")
    PARTNER = "partner", _("Partner")
    SONSTIGE = "sonstige", _("Sonstige")


MUNICIPAL_KINDS = (
    OrganizationKind.GEMEINDE,
    OrganizationKind.STADT,
    OrganizationKind.GROSSE_KREISSTADT,
    OrganizationKind.STADTKREIS,
)


class OrganizationSource(models.TextChoices):
    DIRECTORY = "directory", _("amtliches Gemeindeverzeichnis")
    PLATFORM = "platform", _("auf der Plattform angelegt")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("öffentlich")
    MEMBERS = "members", _("nur für Mitglieder")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration")
    EDITOR = "editor", _("Redaktion")
    MEMBER = "member", _("Mitglied")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("in Prüfung")
    APPROVED = "approved", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class MemberFilter(models.TextChoices):
    MEMBER = "ja", _("Mitglieder der Initiative")
    NON_MEMBER = "nein", _("noch keine Mitglieder")


PARENT_CYCLE = _("Eine Organisation kann nicht zu sich selbst gehören.")

# What editors set for each contact person (web form and API alike).
CONTACT_FIELDS = (
    "name",
    "function",
    "email",
    "email_visibility",
    "phone",
    "phone_visibility",
    "visibility",
    "position",
)
