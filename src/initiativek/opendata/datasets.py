"""The open data sets: which rows are public, which columns they have, under which license.

What is public is decided by the apps' selectors (directory, public project catalog, published
events), never here. Rows are plain dicts of JSON-ready values (text, whole numbers, booleans,
lists of text, ISO 8601 dates); ``exports`` turns them into CSV, JSON and XLSX. Rows are built
in German whatever the visitor's language, so a file's content does not depend on who fetched it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from initiativek.events import selectors as event_selectors
from initiativek.events.models import Event
from initiativek.organizations import selectors as organization_selectors
from initiativek.organizations.constants import RegionLevel
from initiativek.organizations.models import Organization, Region
from initiativek.projects import selectors as project_selectors
from initiativek.projects.models import Project, ProjectGoal

# Rows fetched per database round trip (and per prefetch of the related lists).
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class License:
    uri: str  # the DCAT-AP.de license vocabulary
    name: Promise
    url: str  # the license text for people
    attribution: Promise


DL_BY_DE = License(
    uri="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    name=_("Datenlizenz Deutschland – Namensnennung – Version 2.0"),
    url="https://www.govdata.de/dl-de/by-2-0",
    attribution=_(
        "Gebietsdaten und Einwohnerzahlen: © Statistisches Bundesamt (Destatis), "
        "Gemeindeverzeichnis; übrige Angaben: Initiative K"
    ),
)
CC_BY = License(
    uri="http://dcat-ap.de/def/licenses/cc-by/4.0",
    name=_("Creative Commons Namensnennung 4.0 International (CC BY 4.0)"),
    url="https://creativecommons.org/licenses/by/4.0/deed.de",
    attribution=_("Initiative K"),
)

# Column types: label for people, XML Schema datatype for the metadata.
TYPES: dict[str, tuple[Promise, str]] = {
    "text": (_("Text"), "string"),
    "integer": (_("ganze Zahl"), "integer"),
    "boolean": (_("ja/nein (JSON: true/false)"), "boolean"),
    "month": (_("Monat (JJJJ-MM)"), "gYearMonth"),
    "datetime": (_("Zeitpunkt (ISO 8601 mit Zeitzone)"), "dateTime"),
    "url": (_("Internetadresse"), "anyURI"),
    "list": (_("Liste von Texten (JSON: Array; CSV/XLSX: durch „; “ getrennt)"), "string"),
}


@dataclass(frozen=True)
class Column:
    key: str  # stable machine name: CSV header, JSON key
    type: str  # a key of TYPES
    description: Promise

    @property
    def type_label(self) -> Promise:
        return TYPES[self.type][0]

    @property
    def xsd_type(self) -> str:
        return TYPES[self.type][1]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    license: License
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[dict]]
    modified: Callable[[], datetime | None]


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _month(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- organizations -------------------------------------------------------------------------


def _region_levels(region: Region | None) -> dict[str, Region]:
    """The region and its ancestors by level (walks the ``select_related`` chain)."""
    levels: dict[str, Region] = {}
    node = region
    while node is not None and node.level != RegionLevel.LAND:
        levels.setdefault(node.level, node)
        node = node.parent
    return levels


def organization_queryset() -> QuerySet[Organization]:
    return (
        organization_selectors.organization_list()
        .select_related("region__parent__parent__parent")
        .order_by("name", "pk")
    )


def organization_rows() -> Iterator[dict]:
    for organization in organization_queryset().iterator(chunk_size=CHUNK_SIZE):
        levels = _region_levels(organization.region)
        bezirk = levels.get(RegionLevel.REGIERUNGSBEZIRK)
        kreis = levels.get(RegionLevel.KREIS)
        yield {
            "name": organization.name,
            "art": str(organization.get_kind_display()),
            "ags": organization.ags,
            "regierungsbezirk": bezirk.name if bezirk else "",
            "kreis": kreis.display_name if kreis else "",
            "einwohner": organization.population,
            "mitglied": organization.is_member,
            "website": organization.website,
            "profil_url": _url(organization.get_absolute_url()),
        }


def organization_modified() -> datetime | None:
    return organization_selectors.organization_list().aggregate(latest=Max("updated_at"))["latest"]


ORGANIZATIONS = Dataset(
    slug="organisationen",
    title=_("Kommunen und Organisationen in Baden-Württemberg"),
    description=_(
        "Alle Gemeinden, Städte und Landkreise aus dem amtlichen Gemeindeverzeichnis sowie "
        "kommunale Unternehmen und Partner, mit Gemeindeschlüssel, Gebiet, Einwohnerzahl und "
        "Mitgliedschaft in der Initiative K."
    ),
    keywords=(_("Kommunen"), _("Gemeindeverzeichnis"), _("Baden-Württemberg"), _("Verwaltung")),
    license=DL_BY_DE,
    columns=(
        Column("name", "text", _("Name der Organisation")),
        Column("art", "text", _("Art, z. B. Gemeinde, Große Kreisstadt, Landkreis, Stadtwerke")),
        Column("ags", "text", _("Amtlicher Gemeindeschlüssel (8 Ziffern), leer wenn keiner")),
        Column("regierungsbezirk", "text", _("Regierungsbezirk, in dem die Organisation liegt")),
        Column("kreis", "text", _("Stadt- oder Landkreis, in dem die Organisation liegt")),
        Column(
            "einwohner", "integer", _("Einwohnerzahl laut Gemeindeverzeichnis, leer wenn unbekannt")
        ),
        Column("mitglied", "boolean", _("Mitglied der Initiative K")),
        Column("website", "url", _("Website der Organisation")),
        Column("profil_url", "url", _("Profilseite auf der Plattform")),
    ),
    rows=organization_rows,
    modified=organization_modified,
)


# --- projects ------------------------------------------------------------------------------


def project_queryset() -> QuerySet[Project]:
    """Published public projects: the catalog as an anonymous visitor sees it."""
    return (
        project_selectors.project_list_for_catalog(user=AnonymousUser())
        .select_related(None)
        .select_related("owner")
        .prefetch_related(
            "topics",
            "technologies",
            "vendors",
            Prefetch("goal_links", queryset=ProjectGoal.objects.order_by("goal")),
        )
        .order_by("title", "pk")
    )


def project_rows() -> Iterator[dict]:
    for project in project_queryset().iterator(chunk_size=CHUNK_SIZE):
        yield {
            "titel": project.title,
            "organisation": project.owner.name,
            "stand": str(project.get_status_display()),
            "themen": [topic.name for topic in project.topics.all()],
            "ziele": [str(link.get_goal_display()) for link in project.goal_links.all()],
            "technologien": sorted(tag.name for tag in project.technologies.all()),
            "anbieter": sorted(tag.name for tag in project.vendors.all()),
            "nachnutzung": project.reuse_offered,
            "kurzbeschreibung": project.summary,
            "beginn": _month(project.start_month),
            "ende": _month(project.end_month),
            "veroeffentlicht_am": _moment(project.published_at),
            "geaendert_am": _moment(project.updated_at),
            "url": _url(project.get_absolute_url()),
        }


def project_modified() -> datetime | None:
    catalog = project_selectors.project_list_for_catalog(user=AnonymousUser())
    return catalog.aggregate(latest=Max("updated_at"))["latest"]


PROJECTS = Dataset(
    slug="projekte",
    title=_("Digitalisierungsprojekte der Kommunen"),
    description=_(
        "Öffentlich veröffentlichte Digitalisierungsprojekte der Mitglieder der Initiative K: "
        "Stand, Themen, Ziele, eingesetzte Technologien und Anbieter, Angebot zur Nachnutzung."
    ),
    keywords=(_("Digitalisierung"), _("Kommunen"), _("Projekte"), _("Nachnutzung")),
    license=CC_BY,
    columns=(
        Column("titel", "text", _("Titel des Projekts")),
        Column("organisation", "text", _("Organisation, die das Projekt eingetragen hat")),
        Column("stand", "text", _("Stand, z. B. Idee, geplant, in Umsetzung, umgesetzt")),
        Column("themen", "list", _("Themen des Projekts")),
        Column("ziele", "list", _("Ziele der Initiative K, zu denen das Projekt beiträgt")),
        Column("technologien", "list", _("Eingesetzte Technologien und Produkte")),
        Column("anbieter", "list", _("Beteiligte Anbieter")),
        Column(
            "nachnutzung", "boolean", _("Die Organisation bietet das Projekt zur Nachnutzung an")
        ),
        Column("kurzbeschreibung", "text", _("Kurzbeschreibung")),
        Column("beginn", "month", _("Beginn, leer wenn nicht angegeben")),
        Column("ende", "month", _("Ende, leer wenn nicht angegeben")),
        Column("veroeffentlicht_am", "datetime", _("Zeitpunkt der Veröffentlichung")),
        Column("geaendert_am", "datetime", _("Zeitpunkt der letzten Änderung")),
        Column("url", "url", _("Projektseite auf der Plattform")),
    ),
    rows=project_rows,
    modified=project_modified,
)


# --- events --------------------------------------------------------------------------------


def event_queryset() -> QuerySet[Event]:
    """Published (and cancelled, marked as such) events, as the public event list has them."""
    return (
        event_selectors.event_list_published()
        .select_related(None)
        .prefetch_related("topics")
        .order_by("starts_at", "pk")
    )


def event_rows() -> Iterator[dict]:
    for event in event_queryset().iterator(chunk_size=CHUNK_SIZE):
        yield {
            "titel": event.title,
            "status": str(event.get_status_display()),
            "beginn": _moment(event.starts_at),
            "ende": _moment(event.ends_at),
            "format": str(event.get_format_display()),
            "ort": event.venue,
            "gastgeber": sorted(host.name for host in event.hosts.all()),
            "themen": [topic.name for topic in event.topics.all()],
            "url": _url(event.get_absolute_url()),
        }


def event_modified() -> datetime | None:
    return event_selectors.event_list_published().aggregate(latest=Max("updated_at"))["latest"]


EVENTS = Dataset(
    slug="veranstaltungen",
    title=_("Veranstaltungen der Initiative K"),
    description=_(
        "Veröffentlichte Veranstaltungen der Initiative K mit Termin, Format, Ort, "
        "Gastgebern und Themen; abgesagte Veranstaltungen sind als solche gekennzeichnet."
    ),
    keywords=(_("Veranstaltungen"), _("Erfahrungsaustausch"), _("Digitalisierung")),
    license=CC_BY,
    columns=(
        Column("titel", "text", _("Titel der Veranstaltung")),
        Column("status", "text", _("„veröffentlicht“ oder „abgesagt“")),
        Column("beginn", "datetime", _("Beginn, leer wenn der Termin noch nicht feststeht")),
        Column("ende", "datetime", _("Ende, leer wenn nicht angegeben")),
        Column("format", "text", _("online, hybrid oder Präsenz")),
        Column("ort", "text", _("Veranstaltungsort, leer bei Online-Veranstaltungen")),
        Column("gastgeber", "list", _("Gastgebende Organisationen")),
        Column("themen", "list", _("Themen der Veranstaltung")),
        Column("url", "url", _("Veranstaltungsseite auf der Plattform")),
    ),
    rows=event_rows,
    modified=event_modified,
)

DATASETS: dict[str, Dataset] = {d.slug: d for d in (ORGANIZATIONS, PROJECTS, EVENTS)}
