"""Who may do what in the cooperation exchange – pure functions, one condition per line.

The exchange is for members (SPEC §2): people of member organizations and the team; people of
partner companies are not members (docs/decisions/0004).
"""

from typing import Any

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, Role

from .constants import JOINABLE_STATUSES
from .models import CooperationProposal

EDITING_ROLES = (Role.ADMIN, Role.EDITOR)


def can_use_exchange(user: Any) -> bool:
    """Proposals, recommendations and threads are members-only."""
    return org_permissions.is_platform_member(user)


def speaks_for(user: Any, organization: Any) -> bool:
    """Editors and admins act for their member organization in the exchange."""
    if not organization.is_member:
        return False
    if organization.kind == OrganizationKind.PARTNER:
        return False
    return org_permissions.role_in(user, organization) in EDITING_ROLES


def can_propose(user: Any, organization: Any) -> bool:
    return speaks_for(user, organization)


def member_organization_ids(proposal: CooperationProposal) -> set[int]:
    return set(proposal.members.values_list("organization_id", flat=True))


def can_manage_proposal(user: Any, proposal: CooperationProposal) -> bool:
    """Edit, change status, decide on join requests: the initiator's editors and the team."""
    if org_permissions.is_team(user):
        return True
    return speaks_for(user, proposal.initiator)


def can_request_join(user: Any, proposal: CooperationProposal, organization: Any) -> bool:
    if proposal.status not in JOINABLE_STATUSES:
        return False
    if not speaks_for(user, organization):
        return False
    return organization.pk not in member_organization_ids(proposal)


def is_participant(user: Any, proposal: CooperationProposal) -> bool:
    """Anyone (any role) of an organization taking part in the cooperation."""
    if not user.is_authenticated:
        return False
    return proposal.members.filter(organization__memberships__user=user).exists()


def can_read_thread(user: Any, proposal: CooperationProposal) -> bool:
    """The discussion is among the cooperation's organizations; the team sees all."""
    if org_permissions.is_team(user):
        return True
    return is_participant(user, proposal)


def can_post(user: Any, proposal: CooperationProposal) -> bool:
    return is_participant(user, proposal)


def can_propose_from_statement(user: Any, statement: Any) -> bool:
    """Who may turn a closing statement into a proposal: the event's hosts, the team and
    the editors of the organization that made the statement."""
    from initiativek.events import permissions as event_permissions

    if event_permissions.can_host(user, statement.event):
        return True
    return speaks_for(user, statement.organization)
