"""Reads of the audit log for the team's page (``core.views_audit``)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from initiativek.core.models import AuditEntry

from .audit_labels import action_label


@dataclass(frozen=True)
class AuditFilters:
    area: str = ""
    action: str = ""
    object_type: int | None = None
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    label: str
    url: str
    details: str


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries newest first, narrowed by ``filters`` (dates in the site's time zone,
    both ends included)."""
    entries = AuditEntry.objects.select_related("actor", "content_type").order_by(
        "-created_at", "-id"
    )
    if filters.area:
        entries = entries.filter(action__startswith=f"{filters.area}.")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type is not None:
        entries = entries.filter(content_type_id=filters.object_type)
    if filters.actor:
        entries = entries.filter(
            Q(actor__name__icontains=filters.actor) | Q(actor__email__icontains=filters.actor)
        )
    if filters.date_from:
        entries = entries.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return entries


def audit_object_type_choices() -> list[tuple[int, str]]:
    """The kinds of objects the log has entries about, by their German name."""
    used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
    choices = []
    for content_type in ContentType.objects.filter(pk__in=used):
        model = content_type.model_class()
        name = str(model._meta.verbose_name) if model else content_type.model
        choices.append((content_type.pk, name))
    return sorted(choices, key=lambda choice: choice[1].lower())


def _object_url(obj: Any) -> str:
    label = obj._meta.label_lower
    try:
        if label == "organizations.membershipapplication":
            return reverse("organizations:review-detail", kwargs={"pk": obj.pk})
        if label == "events.registration":
            return obj.event.get_absolute_url()
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        pass
    return ""


def _object_urls(entries: list[AuditEntry]) -> dict[tuple[int, str], str]:
    """(content type, object id) → link, one query per kind of object on the page."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.content_type_id and entry.object_id.isdigit():
            wanted[entry.content_type_id].add(int(entry.object_id))
    urls = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        objects = model._default_manager.filter(pk__in=ids)
        if model._meta.label_lower == "events.registration":
            objects = objects.select_related("event")
        for obj in objects:
            urls[(content_type_id, str(obj.pk))] = _object_url(obj)
    return urls


def _details(data: Any) -> str:
    if isinstance(data, dict):
        return "; ".join(f"{key}: {_details(value)}" for key, value in data.items())
    if isinstance(data, list):
        return ", ".join(_details(value) for value in data)
    return "" if data is None else str(data)


def audit_rows(*, entries: list[AuditEntry]) -> list[AuditRow]:
    """The page's entries with their German label, a link to the object (if it still
    exists and has a page) and the details as text."""
    urls = _object_urls(entries)
    return [
        AuditRow(
            entry=entry,
            label=action_label(entry.action),
            url=urls.get((entry.content_type_id, entry.object_id), ""),
            details=_details(entry.data),
        )
        for entry in entries
    ]
