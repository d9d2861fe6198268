"""Reads for the recommendation pages: whose recommendations, what is hidden, the suggestions
with their reasons as German sentences.

The engine ranks by ids; everything shown is then read in a fixed number of queries whatever
the number of suggestions (organizations, visible projects, topics, tags).
"""

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from initiativek.cooperation.constants import ProposalStatus
from initiativek.cooperation.matching import Suggestion, UnknownOrganization
from initiativek.cooperation.models import CooperationMember, RecommendationDismissal
from initiativek.core.models import Topic
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import RegionLevel
from initiativek.organizations.models import Organization
from initiativek.projects.models import Project, Tag
from initiativek.projects.selectors import project_list_visible_to

from .filters import RecommendationFilters, candidate_ids, distance_km, reasons_mention_topic
from .index import LoadedIndex, match_index_get
from .loading import candidate_organizations
from .reasons import ReasonContext, ReasonItem, distance_text, reason_items

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 200


@dataclass(frozen=True)
class Viewer:
    """Whose recommendations are shown, and which organizations the person may choose."""

    organization: Organization | None
    choices: list[Organization]


@dataclass
class SuggestionItem:
    organization: Organization
    score: float
    relevance: int  # 0..100, relative to the best suggestion
    distance: str
    place: str
    reasons: list[ReasonItem] = field(default_factory=list)


@dataclass
class RecommendationResult:
    loaded: LoadedIndex
    organization_id: int
    suggestions: list[Suggestion]  # without reasons unless ``explained``
    best_score: float
    filters: RecommendationFilters
    hidden_count: int = 0  # dismissed organizations
    distance_unavailable: bool = False
    has_projects: bool = True
    explained: bool = False

    @property
    def updating(self) -> bool:
        """The suggestions come from the previous index while a newer one is being built."""
        return self.loaded.stale


def recommendation_organizations_for(*, user: Any) -> list[Organization]:
    """The member organizations (not partner companies) ``user`` belongs to, by name."""
    if not user.is_authenticated:
        return []
    return list(candidate_organizations().filter(memberships__user=user).order_by("name"))


def recommendation_viewer(*, user: Any, slug: str = "") -> Viewer:
    """The organization chosen with ``?organisation=<slug>`` among the person's own; the team
    may choose any member organization. Without a (valid) choice: the first own one, or none
    for the team without an organization of its own."""
    own = recommendation_organizations_for(user=user)
    choices = own
    if org_permissions.is_team(user):
        choices = list(candidate_organizations().only("pk", "slug", "name").order_by("name"))
    chosen = next((o for o in choices if o.slug == slug), None) if slug else None
    if chosen is not None and chosen not in own:
        chosen = candidate_organizations().select_related("region").get(pk=chosen.pk)
    return Viewer(organization=chosen or (own[0] if own else None), choices=choices)


def recommendation_organization_named(*, user: Any, slug: str) -> Organization:
    """The organization ``slug`` names among those ``user`` may choose (see
    ``recommendation_viewer``), or 404: a form that acts for an organization must name one of
    them – never fall back to another organization of the person."""
    viewer = recommendation_viewer(user=user, slug=slug)
    if not slug or viewer.organization is None or viewer.organization.slug != slug:
        raise Http404
    return viewer.organization


def _cooperation_partners(organization: Organization) -> QuerySet[CooperationMember]:
    """The other members of every cooperation ``organization`` takes part in that is not
    closed (an open one, too: its members have already come together)."""
    return (
        CooperationMember.objects.filter(proposal__members__organization=organization)
        .exclude(proposal__status=ProposalStatus.CLOSED)
        .exclude(organization=organization)
    )


def _joint_projects(organization: Organization) -> QuerySet[Project]:
    """Projects ``organization`` owns or is a partner of (any state of publication).

    A union of two indexed lookups: ``owner OR partners`` with DISTINCT makes PostgreSQL scan
    every project."""
    owned = Project.objects.filter(owner=organization).order_by().values("pk")
    partnered = Project.partners.through.objects.filter(organization=organization).values(
        "project_id"
    )
    return Project.objects.filter(pk__in=owned.union(partnered))


def recommendation_partner_ids(*, organization: Organization) -> set[int]:
    """Existing partners of ``organization``, hidden from its suggestions: members of a
    cooperation with it that is not closed, and organizations that work with it on a project
    (the owner and the partner organizations). One query."""
    projects = _joint_projects(organization).values("pk")
    ids = (
        _cooperation_partners(organization)
        .order_by()
        .values_list("organization_id", flat=True)
        .union(
            Project.objects.filter(pk__in=projects).order_by().values_list("owner_id", flat=True),
            Project.partners.through.objects.filter(project__in=projects)
            .order_by()
            .values_list("organization_id", flat=True),
        )
    )
    return set(ids) - {organization.pk}


def recommendation_dismissed_ids(*, organization: Organization) -> set[int]:
    return set(
        RecommendationDismissal.objects.filter(organization=organization).values_list(
            "other_id", flat=True
        )
    )


def recommendation_dismissals(*, organization: Organization) -> list[RecommendationDismissal]:
    return list(
        RecommendationDismissal.objects.filter(organization=organization)
        .select_related("other", "created_by")
        .order_by("other__name")
    )


@dataclass
class PartnerItem:
    """An existing partner and why it counts as one: the cooperations and the projects (only
    those the viewer may see) the two share."""

    organization: Organization
    cooperations: list[Any] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    hidden_projects: int = 0  # shared projects the viewer may not open


def recommendation_partners(*, organization: Organization, user: Any) -> list[PartnerItem]:
    """Organizations hidden automatically because they already work with ``organization``
    (see ``recommendation_partner_ids``), by name, each with why; only organizations that
    could be suggested at all (no partner companies). A fixed number of queries."""
    items: dict[int, PartnerItem] = {}
    partner_ids = recommendation_partner_ids(organization=organization)
    candidates = set(
        candidate_organizations().filter(pk__in=partner_ids).values_list("pk", flat=True)
    )

    def item(other: Organization) -> PartnerItem:
        return items.setdefault(other.pk, PartnerItem(organization=other))

    members = _cooperation_partners(organization).select_related("organization", "proposal")
    for member in members.order_by("proposal__title"):
        if member.organization_id in candidates:
            item(member.organization).cooperations.append(member.proposal)
    visible = set(
        project_list_visible_to(user=user)
        .values_list("pk", flat=True)
        .filter(pk__in=_joint_projects(organization).values("pk"))
    )
    projects = _joint_projects(organization).select_related("owner").prefetch_related("partners")
    for project in projects.order_by("title"):
        for other in [project.owner, *project.partners.all()]:
            if other.pk == organization.pk or other.pk not in candidates:
                continue
            if project.pk in visible:
                item(other).projects.append(project)
            else:
                item(other).hidden_projects += 1
    return sorted(items.values(), key=lambda partner: partner.organization.name)


def _recommend(
    loaded: LoadedIndex,
    organization_id: int,
    *,
    exclude: Collection[int],
    candidates=None,
    explain: bool = False,
) -> list[Suggestion]:
    try:
        return loaded.index.recommend(
            organization_id,
            limit=MAX_SUGGESTIONS,
            exclude=exclude,
            candidates=candidates,
            explain=explain,
        )
    except UnknownOrganization:
        return []


def recommendation_list(
    *, organization: Organization, filters: RecommendationFilters
) -> RecommendationResult:
    """The ranked suggestions for ``organization`` (at most 200): without itself, dismissed
    organizations and existing cooperation partners, narrowed by ``filters``.

    The suggestions come without their reasons (explaining all 200 costs more than the rest of
    the page), except with a topic filter, which looks at the reasons' topics; the page shown
    gets them from ``recommendation_explain``."""
    loaded = match_index_get()
    match_org = loaded.organizations.get(organization.pk)
    distance_unavailable = bool(filters.max_km) and (
        match_org is None or match_org.latitude is None or match_org.longitude is None
    )
    if distance_unavailable:
        filters = replace(filters, max_km=None)
    dismissed = recommendation_dismissed_ids(organization=organization)
    exclude = dismissed | recommendation_partner_ids(organization=organization)
    best = _recommend(loaded, organization.pk, exclude=exclude)
    candidates = candidate_ids(loaded, organization_id=organization.pk, filters=filters)
    explained = filters.topic is not None
    suggestions = (
        best
        if candidates is None
        else _recommend(
            loaded, organization.pk, exclude=exclude, candidates=candidates, explain=explained
        )
    )
    if filters.topic:
        suggestions = [s for s in suggestions if reasons_mention_topic(s.reasons, filters.topic.pk)]
    return RecommendationResult(
        loaded=loaded,
        organization_id=organization.pk,
        explained=explained,
        suggestions=suggestions,
        best_score=best[0].score if best else 0.0,
        filters=filters,
        hidden_count=len(dismissed),
        distance_unavailable=distance_unavailable,
        has_projects=organization.pk in loaded.project_owners,
    )


def recommendation_explain(
    *, result: RecommendationResult, suggestions: Sequence[Suggestion]
) -> list[Suggestion]:
    """``suggestions`` (a page of ``result.suggestions``) with their reasons, from the same
    index; the same scores and reasons as the engine gives a fully explained list."""
    if result.explained or not suggestions:
        return list(suggestions)
    return result.loaded.index.explain(
        result.organization_id, [suggestion.organization_id for suggestion in suggestions]
    )


def _reason_project_ids(reason_lists: Iterable[Sequence[Any]]) -> tuple[set, set, set]:
    projects, topics, tags = set(), set(), set()
    for reasons in reason_lists:
        for reason in reasons:
            projects.update(reason.projects, reason.other_projects)
            topics.update(reason.topics)
            tags.update(reason.tags)
    return projects, topics, tags


def reason_context_load(
    *, user: Any, reason_lists: Iterable[Sequence[Any]], project_ids: Iterable[int] = ()
) -> ReasonContext:
    """The projects (only those ``user`` may see), topics and tags the reasons name, plus the
    projects ``project_ids`` – three queries. The organizations are filled in per suggestion."""
    named_ids, topic_ids, tag_ids = _reason_project_ids(reason_lists)
    project_ids = named_ids | set(project_ids)
    projects = (
        project_list_visible_to(user=user)
        .filter(pk__in=project_ids)
        .select_related(None)
        .only("pk", "slug", "title", "status")
    )
    return ReasonContext(
        organization=None,
        other=None,
        projects={project.pk: project for project in projects},
        topics=Topic.objects.in_bulk(topic_ids),
        tags=Tag.objects.in_bulk(tag_ids),
    )


def organization_place(organization: Organization) -> str:
    """The Kreis of a municipality, else the organization's region (may be empty)."""
    region = organization.region
    if region is None:
        return ""
    if region.level == RegionLevel.GEMEINDE and region.parent is not None:
        return region.parent.display_name
    return region.display_name


def _distance(loaded: LoadedIndex, a: int, b: int) -> str:
    km = distance_km(loaded.organizations.get(a), loaded.organizations.get(b))
    return distance_text(km) if km is not None else ""


def suggestion_items(
    *,
    result: RecommendationResult,
    suggestions: Sequence[Suggestion],
    organization: Organization,
    user: Any,
) -> list[SuggestionItem]:
    """Display items for one page of ``result``'s suggestions, in their order; ``suggestions``
    with their reasons (``recommendation_explain``)."""
    loaded, best_score = result.loaded, result.best_score
    ids = [s.organization_id for s in suggestions]
    organizations = Organization.objects.select_related("region__parent").in_bulk(ids)
    context = reason_context_load(user=user, reason_lists=[s.reasons for s in suggestions])
    items = []
    for suggestion in suggestions:
        other = organizations.get(suggestion.organization_id)
        if other is None:  # deleted since the index was built
            continue
        own_context = replace(context, organization=organization, other=other)
        relevance = round(100 * suggestion.score / best_score) if best_score > 0 else 0
        items.append(
            SuggestionItem(
                organization=other,
                score=suggestion.score,
                relevance=max(0, min(100, relevance)),
                distance=_distance(loaded, organization.pk, other.pk),
                place=organization_place(other),
                reasons=reason_items(suggestion.reasons, own_context),
            )
        )
    return items
