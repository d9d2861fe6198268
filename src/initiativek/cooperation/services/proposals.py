"""Writes of cooperation proposals: create, edit, change status, leave.

Every function checks the permission itself (``cooperation.permissions``), so a mistake in a
view cannot write; refusals are PermissionDenied or ValidationError with a German message.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log
from initiativek.events.models import ClosingStatement
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.projects.constants import Publication

from .. import permissions
from ..constants import STATUS_TRANSITIONS, MemberRole, ProposalStatus
from ..models import CooperationMember, CooperationProposal
from ._common import (
    acting_party,
    check_exchange_organization,
    notify_created_for_initiator,
    notify_member_added,
    others,
    people_of,
    proposal_slug_pick,
)
from .joining import join_requests_decline_on_close

WANTED_REGION_LEVELS = (RegionLevel.REGIERUNGSBEZIRK, RegionLevel.KREIS)


def _require_manager(actor: Any, proposal: CooperationProposal) -> None:
    if not permissions.can_manage_proposal(actor, proposal):
        raise PermissionDenied(
            _(
                "Nur die Redaktion und Administration von %(organization)s und das Team der "
                "Initiative verwalten diesen Vorschlag."
            )
            % {"organization": proposal.initiator.name}
        )


def clean_wanted_kinds(wanted_kinds: Iterable[str]) -> list[str]:
    """The wanted kinds of partner organizations in the order of the choices; partner
    companies are not members of the exchange and can't be wanted."""
    wanted = set(wanted_kinds)
    allowed = [kind for kind in OrganizationKind.values if kind != OrganizationKind.PARTNER]
    unknown = wanted - set(allowed)
    if unknown:
        raise ValidationError(
            {
                "wanted_kinds": _(
                    "Diese Art von Organisation kann nicht gesucht werden: %(kinds)s."
                )
                % {"kinds": ", ".join(sorted(unknown))}
            }
        )
    return [kind for kind in allowed if kind in wanted]


def _check_regions(regions: Sequence[Any]) -> None:
    if any(region.level not in WANTED_REGION_LEVELS for region in regions):
        raise ValidationError({"wanted_regions": _("Wählen Sie Regierungsbezirke oder Kreise.")})


def check_projects(
    projects: Sequence[Any], organization_ids: set[int], *, already_linked: set[int] = frozenset()
) -> None:
    """Newly linked projects must be published projects of the cooperation's organizations.
    Projects in ``already_linked`` may stay linked as they are (a project unpublished later,
    or one of an organization that left, is not silently dropped when the proposal is
    edited; the pages mark it)."""
    for project in projects:
        if project.pk in already_linked:
            continue
        if project.owner_id not in organization_ids:
            raise ValidationError(
                {
                    "projects": _("„%(title)s“ ist kein Projekt einer beteiligten Organisation.")
                    % {"title": project.title}
                }
            )
        if project.publication != Publication.PUBLISHED:
            raise ValidationError(
                {
                    "projects": _(
                        "„%(title)s“ ist nicht veröffentlicht und kann nicht verknüpft werden."
                    )
                    % {"title": project.title}
                }
            )


def _fill(proposal: CooperationProposal, *, title: str, summary: str, description: str) -> None:
    proposal.title = title.strip()
    proposal.summary = summary.strip()
    proposal.description = description.strip()


def _check_statement_free(source_statement: Any) -> None:
    """One proposal per closing statement: lock the statement's row so two parallel
    requests can't both pass, then look."""
    if source_statement is None:
        return
    statement = ClosingStatement.objects.select_for_update().get(pk=source_statement.pk)
    existing = CooperationProposal.objects.filter(source_statement=statement).first()
    if existing is not None:
        raise ValidationError(
            _("Aus diesem Statement ist bereits der Vorschlag „%(title)s“ entstanden.")
            % {"title": existing.title}
        )


def create_proposal_unchecked(
    *,
    actor: Any,
    initiator: Any,
    fields: dict[str, Any],
    member_organizations: Iterable[Any] = (),
    source_statement: Any = None,
) -> CooperationProposal:
    """Create a proposal; the caller has checked that ``actor`` may and which organizations
    may be first members. ``fields`` holds title, summary, description, topics,
    wanted_kinds, wanted_regions and projects. The first members' editors and admins are
    told (they can leave if it isn't right), and so are the initiator's when ``actor``
    doesn't speak for it (the team or an event's host)."""
    check_exchange_organization(initiator, field="initiator")
    members = [org for org in member_organizations if org.pk != initiator.pk]
    members = list({org.pk: org for org in members}.values())
    for organization in members:
        check_exchange_organization(organization, field="member_organizations")
    _check_statement_free(source_statement)
    regions, projects = list(fields["wanted_regions"]), list(fields["projects"])
    _check_regions(regions)
    check_projects(projects, {initiator.pk, *(org.pk for org in members)})
    proposal = CooperationProposal(
        initiator=initiator,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        wanted_kinds=clean_wanted_kinds(fields["wanted_kinds"]),
        source_statement=source_statement,
        status=ProposalStatus.OPEN,
    )
    _fill(
        proposal,
        title=fields["title"],
        summary=fields["summary"],
        description=fields["description"],
    )
    proposal.slug = proposal_slug_pick(title=proposal.title)
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:  # a parallel request took the same slug
        raise ValidationError(
            _("Der Vorschlag konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.")
        ) from exc
    proposal.topics.set(fields["topics"])
    proposal.wanted_regions.set(regions)
    proposal.projects.set(projects)
    CooperationMember.objects.create(
        proposal=proposal, organization=initiator, role=MemberRole.INITIATOR
    )
    CooperationMember.objects.bulk_create(
        CooperationMember(proposal=proposal, organization=org, role=MemberRole.MEMBER)
        for org in members
    )
    audit_log(
        actor=actor,
        action="cooperation.proposal.created",
        obj=proposal,
        data={"initiator": initiator.name, "members": [org.name for org in members]},
    )
    notify_created_for_initiator(actor=actor, proposal=proposal)
    for organization in members:
        notify_member_added(actor=actor, proposal=proposal, organization=organization)
    return proposal


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    initiator: Any,
    title: str,
    summary: str,
    description: str,
    topics: Iterable[Any],
    wanted_kinds: Iterable[str],
    wanted_regions: Iterable[Any],
    projects: Iterable[Any],
    source_statement: Any = None,
) -> CooperationProposal:
    """An organization proposes a cooperation; it becomes the first and only member
    (initiator) – others join by request. ``actor`` must speak for ``initiator`` (its
    editors and admins) or be the team. With ``source_statement`` one proposal per
    statement holds as in ``proposal_from_statement``."""
    if not (org_permissions.is_team(actor) or permissions.can_propose(actor, initiator)):
        raise PermissionDenied(
            _(
                "Kooperationen schlagen Redaktion und Administration einer "
                "Mitgliedsorganisation für ihre Organisation vor."
            )
        )
    fields = {
        "title": title,
        "summary": summary,
        "description": description,
        "topics": list(topics),
        "wanted_kinds": list(wanted_kinds),
        "wanted_regions": list(wanted_regions),
        "projects": list(projects),
    }
    return create_proposal_unchecked(
        actor=actor, initiator=initiator, fields=fields, source_statement=source_statement
    )


@transaction.atomic
def proposal_update(
    *,
    actor: Any,
    proposal: CooperationProposal,
    title: str,
    summary: str,
    description: str,
    topics: Iterable[Any],
    wanted_kinds: Iterable[str],
    wanted_regions: Iterable[Any],
    projects: Iterable[Any],
) -> CooperationProposal:
    """Edit a proposal (not its status, initiator or slug); closed ones stay as they are.
    ``projects`` is the complete new list: projects linked before may stay even if they are
    no longer published (the form offers them, marked), new ones must be linkable."""
    _require_manager(actor, proposal)
    proposal = CooperationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == ProposalStatus.CLOSED:
        raise ValidationError(_("Ein abgeschlossener Vorschlag kann nicht mehr bearbeitet werden."))
    regions, projects = list(wanted_regions), list(projects)
    _check_regions(regions)
    already_linked = set(proposal.projects.values_list("pk", flat=True))
    check_projects(
        projects, permissions.member_organization_ids(proposal), already_linked=already_linked
    )
    _fill(proposal, title=title, summary=summary, description=description)
    proposal.wanted_kinds = clean_wanted_kinds(wanted_kinds)
    proposal.full_clean()
    proposal.save()
    proposal.topics.set(list(topics))
    proposal.wanted_regions.set(regions)
    proposal.projects.set(projects)
    audit_log(actor=actor, action="cooperation.proposal.updated", obj=proposal)
    return proposal


def _transition_error(current: str, wanted: str) -> ValidationError:
    labels = dict(ProposalStatus.choices)
    possible = STATUS_TRANSITIONS[current]
    allowed = [labels[status] for status in ProposalStatus.values if status in possible]
    if not allowed:
        return ValidationError(
            _("Der Vorschlag ist abgeschlossen; sein Status lässt sich nicht mehr ändern.")
        )
    quoted = ", ".join(f"„{label}“" for label in allowed)
    return ValidationError(
        _("Von „%(current)s“ aus ist nicht „%(wanted)s“ möglich, sondern nur: %(allowed)s.")
        % {"current": labels[current], "wanted": labels[wanted], "allowed": quoted}
    )


@transaction.atomic
def proposal_set_status(
    *, actor: Any, proposal: CooperationProposal, status: str
) -> CooperationProposal:
    """Move the proposal along ``STATUS_TRANSITIONS`` (open → forming → active → closed);
    everyone of the member organizations is told who changed it (the initiator or the team).
    Closing declines the pending join requests and tells their organizations."""
    _require_manager(actor, proposal)
    proposal = CooperationProposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in ProposalStatus.values:
        raise ValidationError(_("Diesen Status gibt es nicht."))
    if status not in STATUS_TRANSITIONS[proposal.status]:
        raise _transition_error(proposal.status, status)
    previous = proposal.status
    proposal.status = status
    proposal.closed_at = timezone.now() if status == ProposalStatus.CLOSED else None
    proposal.save(update_fields=["status", "closed_at", "updated_at"])
    audit_log(
        actor=actor,
        action="cooperation.proposal.status_changed",
        obj=proposal,
        data={"from": previous, "to": status},
    )
    if status == ProposalStatus.CLOSED:
        join_requests_decline_on_close(actor=actor, proposal=proposal)
    members = proposal.members.select_related("organization")
    organizations = [member.organization for member in members]
    changed_by = capfirst(acting_party(actor, proposal.initiator))
    notify(
        users=others(people_of(organizations), actor),
        kind=NotificationKind.COOPERATION_STATUS,
        text=_("%(changed_by)s hat die Kooperation „%(title)s“ auf „%(status)s“ gesetzt.")
        % {
            "changed_by": changed_by,
            "title": proposal.title,
            "status": proposal.get_status_display(),
        },
        url=proposal.get_absolute_url(),
        mail_template="mail/cooperation_status",
        mail_context={
            "proposal": proposal,
            "status_label": proposal.get_status_display(),
            "changed_by": changed_by,
        },
    )
    return proposal


@transaction.atomic
def proposal_leave(*, actor: Any, proposal: CooperationProposal, organization: Any) -> None:
    """A member organization leaves the cooperation (its editors or the team decide). The
    initiator can't leave – it can close the proposal instead; a closed cooperation keeps
    its members as they were."""
    proposal = CooperationProposal.objects.select_for_update().get(pk=proposal.pk)
    if not (org_permissions.is_team(actor) or permissions.speaks_for(actor, organization)):
        raise PermissionDenied(
            _("Nur Redaktion und Administration von %(organization)s können austreten.")
            % {"organization": organization.name}
        )
    if proposal.status == ProposalStatus.CLOSED:
        raise ValidationError(
            _(
                "Die Kooperation ist abgeschlossen; wer an ihr beteiligt war, bleibt "
                "verzeichnet. Austreten ist nicht mehr möglich."
            )
        )
    membership = proposal.members.filter(organization=organization).first()
    if membership is None:
        raise ValidationError(
            _("%(organization)s ist an dieser Kooperation nicht beteiligt.")
            % {"organization": organization.name}
        )
    if membership.role == MemberRole.INITIATOR:
        raise ValidationError(
            _(
                "Die initiierende Organisation kann die Kooperation nicht verlassen. Wenn sie "
                "nicht zustande kommt, schließen Sie den Vorschlag ab."
            )
        )
    membership.delete()
    audit_log(
        actor=actor,
        action="cooperation.member.left",
        obj=proposal,
        data={"organization": organization.name},
    )
    notify(
        users=others(people_of([proposal.initiator], editors_only=True), actor),
        kind=NotificationKind.COOPERATION_STATUS,
        text=_("%(organization)s hat die Kooperation „%(title)s“ verlassen.")
        % {"organization": organization.name, "title": proposal.title},
        url=proposal.get_absolute_url(),
    )
