"""Filters of the recommendation page, carried in the URL (``?thema=&entfernung=&art=``).

Unknown or malformed values are ignored: an outdated link still shows suggestions, never an
error.
"""

import math
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind

from .index import LoadedIndex

DISTANCE_CHOICES = (10, 25, 50, 100, 200)
KIND_CHOICES = [
    (value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.PARTNER
]
FILTER_LABELS = {
    "thema": _("Thema"),
    "entfernung": _("höchstens … km entfernt"),
    "art": _("Art der Organisation"),
}


@dataclass(frozen=True)
class RecommendationFilters:
    topic: Topic | None = None
    max_km: int | None = None
    kind: str | None = None

    @property
    def is_filtered(self) -> bool:
        return bool(self.topic or self.max_km or self.kind)

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as URL parameters, for links that keep them."""
        items = []
        if self.topic:
            items.append(("thema", self.topic.slug))
        if self.max_km:
            items.append(("entfernung", str(self.max_km)))
        if self.kind:
            items.append(("art", self.kind))
        return items


def recommendation_filters_parse(params: QueryDict) -> RecommendationFilters:
    """The filters in ``params``; anything unknown or malformed is dropped."""
    topic = None
    slug = params.get("thema", "")
    if slug and len(slug) <= 100:
        topic = Topic.objects.filter(slug=slug).first()
    distance = params.get("entfernung", "")
    max_km = int(distance) if distance in {str(km) for km in DISTANCE_CHOICES} else None
    kind = params.get("art", "")
    kinds = {value for value, _label in KIND_CHOICES}
    return RecommendationFilters(topic=topic, max_km=max_km, kind=kind if kind in kinds else None)


def candidate_ids(
    loaded: LoadedIndex, *, organization_id: int, filters: RecommendationFilters
) -> set[int] | None:
    """The organizations the filters leave, or None when nothing is filtered by candidates.

    Organizations without coordinates are out when a distance is asked for; the topic keeps
    organizations with a project on that topic (the reasons are checked afterwards).
    """
    if not filters.is_filtered:
        return None
    ids = set(loaded.organizations)
    if filters.kind:
        ids = {pk for pk in ids if loaded.organizations[pk].kind == filters.kind}
    if filters.topic:
        topic_id = filters.topic.pk
        ids &= {p.organization_id for p in loaded.projects.values() if topic_id in p.topics}
    if filters.max_km:
        origin = loaded.organizations.get(organization_id)
        ids = {
            pk
            for pk in ids
            if (km := distance_km(origin, loaded.organizations[pk])) is not None
            and km <= filters.max_km
        }
    return ids


EARTH_RADIUS_KM = 6371.0088  # the mean radius, as the engine uses


def distance_km(a, b) -> float | None:
    """Great-circle distance (haversine) of two MatchOrganizations, None without coordinates."""
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def reasons_mention_topic(reasons, topic_id: int) -> bool:
    return any(topic_id in reason.topics for reason in reasons)
