"""Writes the records of a directory reader (``gv100ad``, ``auszuggv``) into the database.

Built for the whole of Germany in one go: the existing rows are loaded into dicts once and
written with ``bulk_create``/``bulk_update`` level by level (a level's parents get their primary
keys before the level is written), so the number of queries does not grow with the file.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log
from initiativek.core.text import search_text

from ..constants import MUNICIPAL_KINDS, OrganizationKind, OrganizationSource, RegionLevel
from ..models import Organization, Region
from ..services import organization_slug_pick
from .gv100ad import (
    GEMEINDE,
    GEMEINDEVERBAND,
    KREIS,
    LAND,
    RECORD_TYPES,
    REGIERUNGSBEZIRK,
    REGION,
    DirectoryRecord,
    RecordError,
    Rejection,
)

Progress = Callable[[int, int], None]
BATCH_SIZE = 500
LEVELS = {
    LAND: RegionLevel.LAND,
    REGIERUNGSBEZIRK: RegionLevel.REGIERUNGSBEZIRK,
    REGION: RegionLevel.REGION,
    KREIS: RegionLevel.KREIS,
    GEMEINDEVERBAND: RegionLevel.GEMEINDEVERBAND,
    GEMEINDE: RegionLevel.GEMEINDE,
}
# Length of the parent's key; a Kreis of a Land without Regierungsbezirke hangs on the Land.
PARENT_KEY_LENGTHS = {REGIERUNGSBEZIRK: 2, REGION: 3, KREIS: 3, GEMEINDEVERBAND: 5, GEMEINDE: 5}
PARENT_LEVELS = {2: RegionLevel.LAND, 3: RegionLevel.REGIERUNGSBEZIRK, 5: RegionLevel.KREIS}
# Data a source may lack (None in the record): the stored value is kept.
OPTIONAL_FIELDS = (
    "seat",
    "population",
    "population_male",
    "area_ha",
    "postcode",
    "latitude",
    "longitude",
    "valid_on",
)
MUNICIPALITY_KINDS = {
    "60": OrganizationKind.GEMEINDE,
    "61": OrganizationKind.STADTKREIS,
    "62": OrganizationKind.STADTKREIS,
    "63": OrganizationKind.STADT,
    "64": OrganizationKind.GEMEINDE,
    "67": OrganizationKind.GROSSE_KREISSTADT,
}
# Kreis codes that get a Landkreis organization, with the word put before the file's name
# (45, the Regionalverband Saarbrücken, is named in full already).
DISTRICT_PREFIXES = {"43": "Kreis", "44": "Landkreis", "45": ""}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    regions: Counts = field(default_factory=Counts)
    organizations: Counts = field(default_factory=Counts)
    rejections: list[Rejection] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "regions": asdict(self.regions),
            "organizations": asdict(self.organizations),
            "rejected": len(self.rejections),
        }


def directory_import(
    records: Iterable[DirectoryRecord | Rejection],
    *,
    land: str | None,
    valid_on: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update Regions and directory Organizations from ``records``, atomically.

    Idempotent: a row is written only when a value really changed. ``land`` (e.g. "08") keeps
    only records whose key starts with it; ``valid_on`` is the Gebietsstand of records without
    one; ``progress(done, total)`` is called after every record. Rejections passed in, and
    records whose parent is neither in the file nor in the database, end up in
    ``report.rejections``, sorted by line.
    """
    report = ImportReport()
    groups = _group(records, land, report)
    tick = _Ticker(sum(len(group) for group in groups.values()), progress)
    with transaction.atomic():
        regions = _RegionSync(report=report, valid_on=valid_on, tick=tick)
        accepted = [pair for kind in RECORD_TYPES for pair in regions.apply(groups[kind])]
        _OrganizationSync(report.organizations).apply(accepted)
        audit_log(actor=None, action="organizations.directory.imported", data=report.summary())
    report.rejections.sort(key=lambda rejection: rejection.line)
    return report


def municipality_name(official_name: str) -> str:
    """The name without its official suffix: "Herrenberg, Stadt" → "Herrenberg"."""
    return official_name.split(", ", 1)[0]


def district_name(name: str, code: str) -> str:
    """The name with its kind: "Ravensburg" → "Landkreis Ravensburg"; "Ostalbkreis" stays."""
    prefix = DISTRICT_PREFIXES.get(code, "")
    if not prefix or "kreis" in name.lower() or "region" in name.lower():
        return name
    return f"{prefix} {name}"


def _group(
    records: Iterable[DirectoryRecord | Rejection], land: str | None, report: ImportReport
) -> dict[int, list[DirectoryRecord]]:
    groups: dict[int, list[DirectoryRecord]] = {kind: [] for kind in RECORD_TYPES}
    for item in records:
        if isinstance(item, Rejection):
            report.rejections.append(item)
        elif land is None or item.key.startswith(land):
            groups[item.record_type].append(item)
    return groups


class _Ticker:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def __call__(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _changed_fields(obj: Any, values: dict[str, Any]) -> set[str]:
    """Assign ``values`` to ``obj``; the names of the fields whose value differed."""
    changed = {name for name, value in values.items() if getattr(obj, name) != value}
    for name in changed:
        setattr(obj, name, values[name])
    return changed


class _RegionSync:
    def __init__(self, *, report: ImportReport, valid_on: date | None, tick: _Ticker) -> None:
        self.by_key = {region.key: region for region in Region.objects.all()}
        self.seen: set[str] = set()
        self.counts = report.regions
        self.rejections = report.rejections
        self.valid_on = valid_on
        self.tick = tick

    def apply(self, records: list[DirectoryRecord]) -> list[tuple[DirectoryRecord, Region]]:
        """Write one level; the accepted records with their (saved) regions."""
        created: list[Region] = []
        updated: list[Region] = []
        fields: set[str] = set()
        accepted = []
        for record in records:
            self.tick()
            try:
                region, changed = self._sync(record)
            except RecordError as exc:
                self.rejections.append(Rejection(record.line, str(exc)))
                continue
            if region.pk is None:
                created.append(region)
            elif changed:
                updated.append(region)
                fields |= changed
            accepted.append((record, region))
        Region.objects.bulk_create(created, batch_size=BATCH_SIZE)
        if updated:
            Region.objects.bulk_update(updated, sorted(fields), batch_size=BATCH_SIZE)
        self.counts.created += len(created)
        self.counts.updated += len(updated)
        self.counts.unchanged += len(accepted) - len(created) - len(updated)
        return accepted

    def _sync(self, record: DirectoryRecord) -> tuple[Region, set[str]]:
        if record.key in self.seen:
            raise RecordError(_("Schlüssel %(key)s kommt mehrfach vor") % {"key": record.key})
        values = self._values(record)
        self.seen.add(record.key)
        region = self.by_key.get(record.key)
        if region is None:
            region = self.by_key[record.key] = Region(key=record.key, **values)
            return region, set(values)
        return region, _changed_fields(region, values)

    def _values(self, record: DirectoryRecord) -> dict[str, Any]:
        values = {
            "level": LEVELS[record.record_type],
            "name": municipality_name(record.name)
            if record.record_type == GEMEINDE
            else record.name,
            "official_name": record.name,
            "code": record.code,
            "parent_id": self._parent_id(record),
            "ars": record.ars,
        }
        if record.record_type == GEMEINDE:
            association = self.by_key.get(record.association_key)
            values["association_id"] = association.pk if association else None
        for name in OPTIONAL_FIELDS:
            value = getattr(record, name)
            if name == "valid_on":
                value = value or self.valid_on
            if value is not None:
                values[name] = value
        return values

    def _parent_id(self, record: DirectoryRecord) -> int | None:
        length = PARENT_KEY_LENGTHS.get(record.record_type)
        if length is None:
            return None
        if record.record_type == KREIS and record.key[2] == "0":
            length = 2
        parent = self.by_key.get(record.key[:length])
        if parent is None and length == 5 and record.key[2:5] == "000":
            # Areas outside any Kreis ("Küstengewässer", key 13000999) belong to the Land.
            parent = self.by_key.get(record.key[:2])
        if parent is None or parent.pk is None:
            raise RecordError(
                _("%(level)s %(key)s unbekannt")
                % {"level": PARENT_LEVELS[length].label, "key": record.key[:length]}
            )
        return parent.pk


def organization_values(record: DirectoryRecord, region: Region) -> dict[str, Any] | None:
    """What the directory says about the organization of ``record``; None if it has none."""
    if record.record_type == GEMEINDE and record.code in MUNICIPALITY_KINDS:
        return {
            "kind": MUNICIPALITY_KINDS[record.code],
            "ags": record.key,
            "name": municipality_name(record.name),
            "search_name": search_text(municipality_name(record.name)),
            "region_id": region.pk,
            "population": record.population,
            "latitude": record.latitude,
            "longitude": record.longitude,
        }
    if record.record_type == KREIS and record.code in DISTRICT_PREFIXES:
        return {
            "kind": OrganizationKind.LANDKREIS,
            "ags": f"{record.key}000",
            "name": district_name(record.name, record.code),
            "search_name": search_text(district_name(record.name, record.code)),
            "region_id": region.pk,
        }
    return None


class _OrganizationSync:
    def __init__(self, counts: Counts) -> None:
        existing = list(
            Organization.objects.exclude(ags="").only(
                "name",
                "search_name",
                "kind",
                "ags",
                "region",
                "population",
                "latitude",
                "longitude",
                "source",
            )
        )
        self.by_ags_kind = {(org.ags, org.kind): org for org in existing}
        self.municipal = {org.ags: org for org in existing if org.kind in MUNICIPAL_KINDS}
        self.slugs = set(Organization.objects.values_list("slug", flat=True))
        self.counts = counts

    def apply(self, accepted: list[tuple[DirectoryRecord, Region]]) -> None:
        created: list[Organization] = []
        updated: list[Organization] = []
        fields: set[str] = set()
        now = timezone.now()
        for record, region in accepted:
            wanted = organization_values(record, region)
            if wanted is None:
                continue
            organization = self._match(wanted)
            if organization is None:
                created.append(self._new(wanted))
            elif changed := self._update(organization, wanted):
                organization.updated_at = now
                updated.append(organization)
                fields |= changed
            else:
                self.counts.unchanged += 1
        Organization.objects.bulk_create(created, batch_size=BATCH_SIZE)
        if updated:
            fields.add("updated_at")
            Organization.objects.bulk_update(updated, sorted(fields), batch_size=BATCH_SIZE)
        self.counts.created += len(created)
        self.counts.updated += len(updated)

    def _match(self, wanted: dict[str, Any]) -> Organization | None:
        """Same AGS and kind; for a town whose kind changed (e.g. now a Große Kreisstadt),
        any municipal organization with its AGS, so no second one is created."""
        organization = self.by_ags_kind.get((wanted["ags"], wanted["kind"]))
        if organization is None and wanted["kind"] in MUNICIPAL_KINDS:
            organization = self.municipal.get(wanted["ags"])
        return organization

    def _update(self, organization: Organization, wanted: dict[str, Any]) -> set[str]:
        """Directory organizations follow the file; platform ones only get gaps filled."""
        if organization.source == OrganizationSource.DIRECTORY:
            values = {name: value for name, value in wanted.items() if value is not None}
        else:
            values = {
                name: wanted[name]
                for name in ("region_id", "population")
                if getattr(organization, name) is None and wanted.get(name) is not None
            }
        return _changed_fields(organization, values)

    def _new(self, wanted: dict[str, Any]) -> Organization:
        values = {name: value for name, value in wanted.items() if value is not None}
        return Organization(
            slug=self._slug(wanted["name"], wanted["ags"]),
            source=OrganizationSource.DIRECTORY,
            **values,
        )

    def _slug(self, name: str, ags: str) -> str:
        """The rule of ``services.organization_unique_slug``, against slugs held in memory."""
        slug = organization_slug_pick(name=name, ags=ags, taken=self.slugs)
        self.slugs.add(slug)
        return slug
