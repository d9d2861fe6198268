"""Reads of the cooperation exchange, including what a person may see and do there.

Proposals are visible to every member of the initiative (``permissions.can_use_exchange``; the
views check that); the thread only to the participants and the team.
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from initiativek.core.text import search_text
from initiativek.events.models import ClosingStatement
from initiativek.events.selectors import event_list_visible_to
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.organizations.models import Organization, Region
from initiativek.projects.constants import Publication
from initiativek.projects.models import Project
from initiativek.projects.selectors import project_list_visible_to

from . import permissions
from .constants import STATUS_TRANSITIONS, JoinStatus, MemberRole, ProposalStatus
from .models import CooperationMember, CooperationPost, CooperationProposal, JoinRequest

# After a decline the same organization may ask again only after this wait, so the
# initiator is not asked over and over.
DECLINE_WAIT = timedelta(days=30)


def exchange_organizations() -> QuerySet[Organization]:
    """Organizations that take part in the exchange: members, not partner companies."""
    return (
        Organization.objects.filter(is_member=True)
        .exclude(kind=OrganizationKind.PARTNER)
        .order_by("name")
    )


def organization_list_speaking_for(*, user: Any) -> QuerySet[Organization]:
    """The exchange organizations ``user`` acts for as editor or admin (the team: none of its
    own – it acts as the team)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return exchange_organizations().filter(
        memberships__user=user, memberships__role__in=permissions.EDITING_ROLES
    )


def organization_list_proposing_for(*, user: Any) -> QuerySet[Organization]:
    """Organizations ``user`` may propose a cooperation for; the team for every one."""
    if org_permissions.is_team(user):
        return exchange_organizations()
    return organization_list_speaking_for(user=user)


def _in_bezirk(bezirk: str) -> Q:
    """Initiators in the Regierungsbezirk with key ``bezirk`` (3 digits): by the first three
    digits of their AGS; without an AGS by their region's key."""
    by_ags = Q(initiator__ags__startswith=bezirk)
    by_region = Q(initiator__ags="", initiator__region__key__startswith=bezirk)
    return by_ags | by_region


def proposal_list(
    *, status: str = "", topic: str = "", bezirk: str = "", query: str = ""
) -> QuerySet[CooperationProposal]:
    """All proposals (newest first) with their initiator, topics and number of members;
    empty filter values don't filter."""
    proposals = (
        CooperationProposal.objects.select_related("initiator")
        .prefetch_related("topics")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if status:
        proposals = proposals.filter(status=status)
    if topic:
        proposals = proposals.filter(topics__slug=topic)
    if bezirk:
        proposals = proposals.filter(_in_bezirk(bezirk))
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return proposals


def proposal_get(*, slug: str) -> CooperationProposal:
    """The proposal, or 404."""
    try:
        return CooperationProposal.objects.select_related(
            "initiator", "source_statement__event", "source_statement__organization"
        ).get(slug=slug)
    except CooperationProposal.DoesNotExist as exc:
        raise Http404 from exc


def proposal_next_statuses(*, proposal: CooperationProposal) -> list[tuple[str, str]]:
    """The statuses the proposal may move to now, in the order of the life cycle."""
    possible = STATUS_TRANSITIONS[proposal.status]
    return [(value, label) for value, label in ProposalStatus.choices if value in possible]


def proposal_wanted_kind_labels(*, proposal: CooperationProposal) -> list[str]:
    labels = dict(OrganizationKind.choices)
    return [str(labels[kind]) for kind in proposal.wanted_kinds if kind in labels]


def proposal_members(*, proposal: CooperationProposal) -> list[CooperationMember]:
    """The member organizations, the initiator first."""
    members = list(proposal.members.select_related("organization"))
    return sorted(members, key=lambda member: member.role != MemberRole.INITIATOR)


def proposal_projects_for_viewer(*, proposal: CooperationProposal, user: Any) -> QuerySet[Project]:
    """Linked projects the viewer may open (members-only ones for members, drafts never)."""
    visible = project_list_visible_to(user=user).values("pk")
    return proposal.projects.filter(pk__in=visible).select_related("owner").order_by("title")


def project_list_linkable(
    *, organization_ids: set[int], linked_ids: Iterable[int] = ()
) -> QuerySet[Project]:
    """Published projects of these organizations – what a proposal may link – plus the
    projects it links already (``linked_ids``), even if no longer published, so editing
    keeps them unless they are unticked."""
    published = Q(owner_id__in=organization_ids, publication=Publication.PUBLISHED)
    return (
        Project.objects.filter(published | Q(pk__in=list(linked_ids)))
        .select_related("owner")
        .order_by("owner__name", "title")
    )


def proposal_source_event_visible(*, proposal: CooperationProposal, user: Any) -> bool:
    """Whether ``user`` may see the event of the statement the proposal came from (drafts
    only its hosts and the team); if not, pages name no title, just „einer Veranstaltung“."""
    statement = proposal.source_statement
    if statement is None:
        return False
    return event_list_visible_to(user=user).filter(pk=statement.event_id).exists()


def join_request_list_pending(*, proposal: CooperationProposal) -> QuerySet[JoinRequest]:
    return proposal.join_requests.filter(status=JoinStatus.PENDING).select_related(
        "organization", "requested_by"
    )


def join_request_next_possible(
    *, proposal: CooperationProposal, organization: Organization
) -> datetime | None:
    """When ``organization`` may ask again after its last declined request (``None``: no
    wait). A request declined without a date counts from its last change."""
    declined = proposal.join_requests.filter(organization=organization, status=JoinStatus.DECLINED)
    return _next_possible(list(declined), organization)


def join_options_for_user(*, user: Any, proposal: CooperationProposal) -> dict[str, list]:
    """For the detail page: the organizations ``user`` may still ask to join for, the
    requests of their organizations (newest first), and the organizations that must wait
    after a decline, with the date (``waiting``: list of (organization, date))."""
    own = list(organization_list_speaking_for(user=user))
    member_ids = permissions.member_organization_ids(proposal)
    requests = list(
        proposal.join_requests.filter(organization__in=own)
        .select_related("organization")
        .order_by("-created_at")
    )
    pending_ids = {r.organization_id for r in requests if r.status == JoinStatus.PENDING}
    requestable, waiting = [], []
    for org in own:
        if org.pk in member_ids or org.pk in pending_ids:
            continue
        if not permissions.can_request_join(user, proposal, org):
            continue
        next_possible = _next_possible(requests, org)
        if next_possible is None:
            requestable.append(org)
        else:
            waiting.append((org, next_possible))
    return {"requestable": requestable, "requests": requests, "waiting": waiting}


def _next_possible(requests: list[JoinRequest], organization: Organization) -> datetime | None:
    """``join_request_next_possible`` over requests already loaded (no query)."""
    declined = [
        r.decided_at or r.updated_at
        for r in requests
        if r.organization_id == organization.pk and r.status == JoinStatus.DECLINED
    ]
    if not declined:
        return None
    next_possible = max(declined) + DECLINE_WAIT
    return next_possible if next_possible > timezone.now() else None


def post_list(*, proposal: CooperationProposal) -> QuerySet[CooperationPost]:
    return proposal.posts.select_related("author", "organization")


def organization_list_posting_for(
    *, user: Any, proposal: CooperationProposal
) -> QuerySet[Organization]:
    """The user's organizations (any role) that take part: whom a post can speak for."""
    if not user.is_authenticated:
        return Organization.objects.none()
    member_ids = permissions.member_organization_ids(proposal)
    return Organization.objects.filter(pk__in=member_ids, memberships__user=user).order_by("name")


def organization_list_leavable(*, user: Any, proposal: CooperationProposal) -> list[Organization]:
    """Member organizations (not the initiator) the user speaks for and could take out
    (``permissions.speaks_for``, asked in one query for all members)."""
    members = proposal.members.filter(
        role=MemberRole.MEMBER, organization__in=organization_list_speaking_for(user=user)
    ).select_related("organization")
    return [member.organization for member in members]


def region_choices_for_wanted() -> list[tuple[str, list[tuple[int, str]]]]:
    """Regierungsbezirke and their Kreise, grouped by Bezirk, for the "wanted from" select."""
    bezirke = Region.objects.filter(level=RegionLevel.REGIERUNGSBEZIRK).order_by("key")
    kreise = Region.objects.filter(level=RegionLevel.KREIS).order_by("name")
    groups = []
    for bezirk in bezirke:
        options = [(bezirk.pk, bezirk.name)]
        options += [(k.pk, k.display_name) for k in kreise if k.key.startswith(bezirk.key)]
        groups.append((bezirk.name, options))
    return groups


def organization_partner_for(*, slug: str, initiator: Organization) -> Organization | None:
    """The recommended partner named in ``?partner=<slug>``, if it takes part in the
    exchange (unknown slugs and the initiator itself are ignored)."""
    if not slug:
        return None
    return exchange_organizations().exclude(pk=initiator.pk).filter(slug=slug).first()


def organization_wanted_defaults(*, organization: Organization) -> dict[str, list]:
    """What to pre-select when proposing for a recommended partner: its kind and its Kreis
    (or Regierungsbezirk)."""
    own = organization.region
    path = [*own.ancestors(), own] if own else []
    by_level = {region.level: region for region in path}
    region = by_level.get(RegionLevel.KREIS) or by_level.get(RegionLevel.REGIERUNGSBEZIRK)
    is_partner = organization.kind == OrganizationKind.PARTNER
    return {
        "wanted_kinds": [] if is_partner else [organization.kind],
        "wanted_regions": [region] if region else [],
    }


# Closing statements of events (SPEC §5 outcomes → §7 proposals)


def statement_get(*, pk: int) -> ClosingStatement:
    try:
        return ClosingStatement.objects.select_related("event", "organization").get(pk=pk)
    except ClosingStatement.DoesNotExist as exc:
        raise Http404 from exc


def _name_variants(name: str) -> set[str]:
    """'Heidenheim an der Brenz' is mentioned as 'Heidenheim' too."""
    variants = {name}
    for separator in (" an der ", " am ", " im ", " in ", " ob der ", " (", ","):
        if separator in name:
            variants.add(name.split(separator)[0])
    return {search_text(variant) for variant in variants if len(variant.strip()) >= 3}


def statement_named_organizations(*, statement: ClosingStatement) -> list[Organization]:
    """Exchange organizations (other than the statement's own) named in the statement's
    text – "Ravensburg und Konstanz wollen gemeinsam …" names Konstanz."""
    text = search_text(statement.text)
    named = []
    for organization in exchange_organizations().exclude(pk=statement.organization_id):
        for variant in _name_variants(organization.name):
            if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
                named.append(organization)
                break
    return named


def statement_member_candidates(*, statement: ClosingStatement) -> QuerySet[Organization]:
    """Who may become a first member when ``statement`` becomes a proposal: exchange
    organizations it names, and those that made closing statements at the same event –
    never anyone else (they join by request)."""
    named = [org.pk for org in statement_named_organizations(statement=statement)]
    at_event = ClosingStatement.objects.filter(event_id=statement.event_id).values("organization")
    return (
        exchange_organizations()
        .filter(Q(pk__in=named) | Q(pk__in=at_event))
        .exclude(pk=statement.organization_id)
    )


def _followup_base(now: datetime | None) -> QuerySet[ClosingStatement]:
    now = now or timezone.now()
    cutoff = now - timedelta(weeks=settings.COOPERATION_FOLLOWUP_WEEKS)
    has_proposal = CooperationProposal.objects.filter(source_statement=OuterRef("pk"))
    return (
        ClosingStatement.objects.annotate(event_end=Coalesce("event__ends_at", "event__starts_at"))
        .filter(created_at__lte=cutoff, event_end__lt=now)
        .filter(~Exists(has_proposal))
        # Only statements that can become a proposal: by organizations of the exchange.
        .filter(organization__in=exchange_organizations())
        .select_related("event", "organization", "followup")
        .order_by("event_end", "event_id", "position", "pk")
    )


def statement_list_for_followup(*, now: datetime | None = None) -> QuerySet[ClosingStatement]:
    """Statements of past events, older than ``COOPERATION_FOLLOWUP_WEEKS``, that have not
    become a proposal – reminded or not (``statement.followup`` says when)."""
    return _followup_base(now)


def statement_list_due_for_reminder(*, now: datetime | None = None) -> QuerySet[ClosingStatement]:
    """Those of :func:`statement_list_for_followup` whose organization was never reminded."""
    return _followup_base(now).filter(followup__isnull=True)
