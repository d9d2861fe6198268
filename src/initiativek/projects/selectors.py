"""Reads of projects, always through "what may this user see"."""

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, Role, Visibility
from initiativek.organizations.models import Membership, Organization

from . import permissions
from .constants import PLANNING_STATUSES, ProjectStatus, Publication, TagKind
from .models import Project, ProjectGoal, ProjectInterest, Tag


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


def project_similar(*, project: Project, user: Any, limit: int = 5) -> list[Project]:
    """Published projects of other organizations with shared topics or similar texts, best
    first: shared topics count most, shared (stemmed) words break ties."""
    topic_ids = set(project.topics.values_list("pk", flat=True))
    candidates = (
        project_list_for_catalog(user=user)
        .exclude(pk=project.pk)
        .exclude(owner=project.owner)
        .prefetch_related("topics")
        .select_related(None)
        .select_related("owner")
        .only("pk", "slug", "title", "status", "search_document", "published_at", "owner__name")
        .order_by("-published_at")[:300]
    )
    documents = {c.pk: set(c.search_document.split()) for c in candidates}
    # Words in a third or more of all projects ("Projekt", "Stadt") say nothing about
    # similarity; like IDF, they are left out.
    counts = Counter(word for words in documents.values() for word in words)
    common = {word for word, n in counts.items() if n >= max(3, len(documents) / 3)}
    own = set(project.search_document.split()) - common
    scored = []
    for candidate in candidates:
        shared = len(topic_ids & {topic.pk for topic in candidate.topics.all()})
        text = _shared_words(own, documents[candidate.pk] - common)
        score = shared + 2 * text
        if score > 0.15:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    return [candidate for _score, candidate in scored[:limit]]


def project_others_planning(*, project: Project, user: Any, limit: int = 5) -> list[Project]:
    """Ideas and planned projects of other members on the same topics: "who else plans this"."""
    topic_ids = list(project.topics.values_list("pk", flat=True))
    if not topic_ids:
        return []
    return list(
        project_list_for_catalog(user=user)
        .filter(status__in=PLANNING_STATUSES, topics__in=topic_ids)
        .exclude(owner=project.owner)
        .distinct()
        .order_by("-published_at")[:limit]
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
    """An organization's visible projects, implemented and planned apart."""
    projects = list(
        project_list_visible_to(user=user)
        .filter(owner=organization)
        .exclude(publication=Publication.ARCHIVED)
        .order_by("title")
    )
    return {
        "done": [p for p in projects if p.status == ProjectStatus.DONE],
        "running": [p for p in projects if p.status == ProjectStatus.IN_PROGRESS],
        "planned": [p for p in projects if p.status in PLANNING_STATUSES],
        "stopped": [p for p in projects if p.status == ProjectStatus.STOPPED],
    }


def goal_project_counts(*, user: Any) -> dict[int, int]:
    """How many visible published projects serve each goal."""
    rows = (
        ProjectGoal.objects.filter(project__in=project_list_for_catalog(user=user))
        .values("goal")
        .annotate(n=Count("project", distinct=True))
    )
    return {row["goal"]: row["n"] for row in rows}


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
