"""Reads of projects, always through "what may this user see"."""

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, Role, Visibility
from initiativek.organizations.models import Membership, Organization

from . import permissions
from .constants import PLANNING_STATUSES, ProjectStatus, Publication, TagKind
from .models import Project, ProjectGoal, ProjectInterest, Tag

# The catalog's order without a search. PostgreSQL walks the index of migration 0003 in this
# order and stops after the first rows that pass the filters, instead of sorting them all.
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-created_at", "-pk")

T = TypeVar("T")


def project_list_visible_to(*, user: Any) -> QuerySet[Project]:
    """Every project ``user`` may open: published ones (members-only ones for members), plus
    drafts and archived ones of their own and partner organizations; the team sees all."""
    projects = Project.objects.select_related("owner", "owner__region__parent")
    if org_permissions.is_team(user):
        return projects
    visible = Q(publication=Publication.PUBLISHED)
    if not org_permissions.is_platform_member(user):
        visible &= Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        mine = Membership.objects.filter(user=user)
        visible |= Q(owner__in=mine.values("organization"))
        visible |= Q(
            Exists(
                Project.partners.through.objects.filter(
                    project=OuterRef("pk"), organization__in=mine.values("organization")
                )
            )
        )
    return projects.filter(visible)


def catalog_audience(*, user: Any) -> str | None:
    """Who sees the same catalog, for sharing cached counts: "members" (members and the team
    see every published project), "public" (anonymous people and accounts without an
    organization), or None for people of organizations that are not members, who also see
    their own organizations' members-only projects."""
    if org_permissions.is_platform_member(user):
        return "members"
    if not user.is_authenticated or not Membership.objects.filter(user=user).exists():
        return "public"
    return None


# The catalog's counts are cached under a version that every change of a project, its topics
# and goals or an organization replaces (receivers below). Changes that send no signals (bulk
# updates, the synthetic data generator) show after CATALOG_CACHE_SECONDS at the latest.
CATALOG_CACHE_SECONDS = 300
_CATALOG_VERSION_KEY = "projects:catalog:version"


def catalog_version() -> str:
    version = cache.get(_CATALOG_VERSION_KEY)
    if version is None:
        cache.add(_CATALOG_VERSION_KEY, uuid.uuid4().hex, None)  # concurrent first requests
        version = cache.get(_CATALOG_VERSION_KEY, "")
    return version


@receiver([post_save, post_delete], sender=Project)
@receiver([post_save, post_delete], sender=ProjectGoal)
@receiver([post_save, post_delete], sender=Organization)
@receiver(m2m_changed, sender=Project.topics.through)
def catalog_changed(**kwargs: Any) -> None:
    cache.set(_CATALOG_VERSION_KEY, uuid.uuid4().hex, None)


def project_list_for_catalog(*, user: Any) -> QuerySet[Project]:
    """Published projects this user may see (the catalog never lists drafts)."""
    return project_list_visible_to(user=user).filter(publication=Publication.PUBLISHED)


def project_get_for_user(*, user: Any, slug: str) -> Project:
    """The project, or 404 when it does not exist or the user may not see it."""
    try:
        project = project_list_visible_to(user=user).get(slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_project(user, project):
        raise Http404
    return project


def _shared_words(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _cached_projects(name: str, project: Project, user: Any, compute) -> list[Project]:
    """The projects whose ids ``compute()`` returns, the ids cached per audience until the
    catalog changes (``catalog_version``)."""
    audience = catalog_audience(user=user)
    key = f"projects:{name}:{catalog_version()}:{audience}:{project.pk}"
    ids = cache.get(key) if audience else None
    if ids is None:
        ids = compute()
        if audience:
            cache.set(key, ids, CATALOG_CACHE_SECONDS)
    # The lists show title, owner and status: the long texts stay in the database.
    found = (
        Project.objects.select_related("owner")
        .only("slug", "title", "status", "owner__name", "owner__slug")
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


def project_similar(*, project: Project, user: Any, limit: int = 5) -> list[Project]:
    """Published projects of other organizations with shared topics or similar texts, best
    first: shared topics count most, shared (stemmed) words break ties."""
    return _cached_projects(
        f"similar{limit}", project, user, lambda: _similar_ids(project, user, limit)
    )


SIMILAR_CANDIDATES = 300


class _Candidate(NamedTuple):
    pk: int
    owner_id: int
    words: frozenset[str]
    topics: frozenset[int]


# (catalog version, audience) → the newest published projects as candidates, per process:
# the same for every project page until the catalog changes.
_newest: dict[tuple[str, str], list[_Candidate]] = {}


def _candidates(queryset: QuerySet[Project], limit: int) -> list[_Candidate]:
    rows = list(
        queryset.order_by(*NEWEST_FIRST).values_list("pk", "owner_id", "search_document")[:limit]
    )
    topics: dict[int, set[int]] = {pk: set() for pk, _owner, _document in rows}
    links = Project.topics.through.objects.filter(project_id__in=topics)
    for pk, topic in links.values_list("project_id", "topic_id"):
        topics[pk].add(topic)
    return [
        _Candidate(pk, owner, frozenset(document.split()), frozenset(topics[pk]))
        for pk, owner, document in rows
    ]


def _similar_candidates(project: Project, user: Any) -> list[_Candidate]:
    """The 300 newest published projects of other organizations. Taken from the newest 600,
    read once per catalog version, when enough of them belong to others."""
    audience = catalog_audience(user=user)
    key = (catalog_version(), audience or "")
    newest = _newest.get(key) if audience else None
    if newest is None:
        newest = _candidates(project_list_for_catalog(user=user), 2 * SIMILAR_CANDIDATES)
        if audience:
            if len(_newest) > 4:
                _newest.clear()
            _newest[key] = newest
    others = [c for c in newest if c.pk != project.pk and c.owner_id != project.owner_id]
    if len(others) >= SIMILAR_CANDIDATES or len(newest) < 2 * SIMILAR_CANDIDATES:
        return others[:SIMILAR_CANDIDATES]
    mine = project_list_for_catalog(user=user).exclude(pk=project.pk)
    return _candidates(mine.exclude(owner=project.owner_id), SIMILAR_CANDIDATES)


def _similar_ids(project: Project, user: Any, limit: int) -> list[int]:
    topic_ids = set(project.topics.values_list("pk", flat=True))
    candidates = _similar_candidates(project, user)
    # Words in a third or more of all projects ("Projekt", "Stadt") say nothing about
    # similarity; like IDF, they are left out.
    counts = Counter(word for candidate in candidates for word in candidate.words)
    common = {word for word, n in counts.items() if n >= max(3, len(candidates) / 3)}
    own = set(project.search_document.split()) - common
    scored = []
    for candidate in candidates:  # newest first: ties keep that order
        text = _shared_words(own, candidate.words - common)
        score = len(topic_ids & candidate.topics) + 2 * text
        if score > 0.15:
            scored.append((score, candidate.pk))
    scored.sort(key=lambda pair: -pair[0])
    return [pk for _score, pk in scored[:limit]]


def project_others_planning(*, project: Project, user: Any, limit: int = 5) -> list[Project]:
    """Ideas and planned projects of other members on the same topics: "who else plans this"."""
    return _cached_projects(
        f"planning{limit}", project, user, lambda: _others_planning_ids(project, user, limit)
    )


def _others_planning_ids(project: Project, user: Any, limit: int) -> list[int]:
    topic_ids = list(project.topics.values_list("pk", flat=True))
    if not topic_ids:
        return []
    on_topics = Project.topics.through.objects.filter(topic__in=topic_ids).values("project_id")
    return list(
        project_list_for_catalog(user=user)
        .filter(status__in=PLANNING_STATUSES, pk__in=on_topics)
        .exclude(owner=project.owner)
        .order_by(*NEWEST_FIRST)
        .values_list("pk", flat=True)[:limit]
    )


def project_status_timeline(*, project: Project) -> list[dict]:
    """When the project reached each status, from its history (oldest first)."""
    timeline, last = [], None
    for version in project.versions.order_by("created_at", "pk"):
        status = version.data.get("status")
        if status and status != last:
            timeline.append({"status": status, "date": version.created_at})
            last = status
    labels = dict(ProjectStatus.choices)
    return [{**entry, "label": labels.get(entry["status"], entry["status"])} for entry in timeline]


def project_history_labels() -> dict[str, str]:
    """Field name → label, for showing what a version changed."""
    labels = {
        field.name: str(field.verbose_name)
        for field in Project._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels.update({"goals": str(_("Ziele")), "contact": str(_("Ansprechperson"))})
    return labels


def interest_list_for_viewer(*, project: Project, user: Any) -> QuerySet[ProjectInterest]:
    """Owner's editors and the team see every interest; others only their organizations'."""
    interests = project.interests.select_related("organization", "user").prefetch_related(
        "messages__author", "messages__organization"
    )
    if permissions.can_edit_project(user, project):
        return interests
    if not user.is_authenticated:
        return interests.none()
    return interests.filter(organization__memberships__user=user).distinct()


def project_list_for_organization(*, organization, user: Any) -> dict[str, list[Project]]:
    """An organization's visible projects, implemented and planned apart: what the list shows
    (title, status, publication), not the texts – a large city has hundreds of projects."""
    projects = list(
        project_list_visible_to(user=user)
        .filter(owner=organization)
        .exclude(publication=Publication.ARCHIVED)
        .select_related(None)
        .only("pk", "slug", "title", "status", "publication", "owner_id")
        .order_by("title")
    )
    return {
        "done": [p for p in projects if p.status == ProjectStatus.DONE],
        "running": [p for p in projects if p.status == ProjectStatus.IN_PROGRESS],
        "planned": [p for p in projects if p.status in PLANNING_STATUSES],
        "stopped": [p for p in projects if p.status == ProjectStatus.STOPPED],
    }


def catalog_cached(name: str, compute: Callable[[], T], *, user: Any = None) -> T:
    """``compute()``, cached until the catalog changes (``catalog_version``). With ``user`` the
    value depends on what that user may see: it is cached per audience, and not at all for an
    audience of its own (``catalog_audience`` None)."""
    audience = "all" if user is None else catalog_audience(user=user)
    if audience is None:
        return compute()
    key = f"projects:{name}:{catalog_version()}:{audience}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CATALOG_CACHE_SECONDS)
    return value


def goal_project_counts(*, user: Any) -> dict[int, int]:
    """How many visible published projects serve each goal (the home page's tiles; counting
    over every project, so cached until the catalog changes)."""

    def compute() -> dict[int, int]:
        rows = (
            ProjectGoal.objects.filter(project__in=project_list_for_catalog(user=user))
            .values("goal")
            .annotate(n=Count("project", distinct=True))
        )
        return {row["goal"]: row["n"] for row in rows}

    return catalog_cached("goal-counts", compute, user=user)


def goal_report(*, goal: int, user: Any) -> dict[str, Any]:
    """Per goal: the projects, how many per status, and which organizations."""
    projects = list(
        project_list_for_catalog(user=user)
        .filter(goal_links__goal=goal)
        .select_related("owner")
        .distinct()
        .order_by("owner__name", "title")
    )
    by_status = [
        {"value": value, "label": label, "count": sum(p.status == value for p in projects)}
        for value, label in ProjectStatus.choices
    ]
    organizations: dict[int, dict[str, Any]] = {}
    for project in projects:
        entry = organizations.setdefault(
            project.owner_id, {"organization": project.owner, "projects": []}
        )
        entry["projects"].append(project)
    return {
        "projects": projects,
        "by_status": by_status,
        "max_count": max([row["count"] for row in by_status] + [1]),
        "organizations": sorted(
            organizations.values(), key=lambda entry: entry["organization"].name
        ),
    }


def tag_suggestions() -> dict[str, list[str]]:
    """Names of technologies and vendors used in published public projects, for suggestions."""
    public = Project.objects.filter(publication=Publication.PUBLISHED, visibility=Visibility.PUBLIC)
    return {
        TagKind.TECHNOLOGY: sorted(
            set(Tag.objects.filter(technology_projects__in=public).values_list("name", flat=True))
        )[:300],
        TagKind.VENDOR: sorted(
            set(Tag.objects.filter(vendor_projects__in=public).values_list("name", flat=True))
        )[:300],
    }


def interest_organizations_for(*, user: Any, project: Project) -> list[Organization]:
    """Member organizations (not partner companies) on whose behalf ``user`` may declare
    interest in ``project``."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(memberships__user=user, is_member=True)
        .exclude(kind=OrganizationKind.PARTNER)
        .exclude(pk=project.owner_id)
        .order_by("name")
    )


def project_list_for_user_organizations(*, user: Any) -> list[Project]:
    """Projects of the user's organizations and those they are partner in, drafts included."""
    if not user.is_authenticated:
        return []
    mine = Membership.objects.filter(user=user).values("organization")
    return list(
        Project.objects.filter(Q(owner__in=mine) | Q(partners__in=mine))
        .select_related("owner")
        .distinct()
        .order_by("publication", "title")
    )


def interest_reply_organizations(*, user: Any, project: Project) -> set[int]:
    """Ids of the interests ``user`` may answer in (as owner editor or interested org)."""
    if not user.is_authenticated:
        return set()
    interests = project.interests.all()
    if project.owner.memberships.filter(user=user, role__in=[Role.ADMIN, Role.EDITOR]).exists():
        return set(interests.values_list("pk", flat=True))
    return set(interests.filter(organization__memberships__user=user).values_list("pk", flat=True))


def project_contact_for_viewer(*, project: Project, user: Any) -> dict | None:
    """The project's contact person as far as the viewer may see it (SPEC §3)."""
    if project.contact is None:
        return None
    return org_permissions.visible_contact(
        project.contact, viewer_is_member=org_permissions.is_platform_member(user)
    )
