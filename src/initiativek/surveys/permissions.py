"""Who may do what in the experience exchange – pure functions, one condition per line."""

from typing import Any

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, Role

from .constants import Phase
from .models import Questionnaire, Response


def can_manage_questionnaires(user: Any) -> bool:
    """Creating, editing, publishing and exporting questionnaires: the initiative team."""
    return org_permissions.is_team(user)


def is_in_audience(questionnaire: Questionnaire, organization: Any) -> bool:
    """Member organizations of the chosen kinds (all kinds if none chosen); partner companies
    never answer (they are not members, docs/decisions/0004)."""
    if not organization.is_member:
        return False
    if organization.kind == OrganizationKind.PARTNER:
        return False
    if not questionnaire.audience_kinds:
        return True
    return organization.kind in questionnaire.audience_kinds


def can_answer(user: Any, questionnaire: Questionnaire, organization: Any) -> bool:
    """Editors and admins of an organization of the audience fill in its response."""
    if not is_in_audience(questionnaire, organization):
        return False
    return org_permissions.role_in(user, organization) in {Role.ADMIN, Role.EDITOR}


def can_view_response(user: Any, response: Response) -> bool:
    """A response (with its history) is seen by the organization's people and the team."""
    if org_permissions.is_team(user):
        return True
    return org_permissions.role_in(user, response.organization) is not None


def can_see_questionnaire(user: Any, questionnaire: Questionnaire) -> bool:
    """Drafts and templates: the team. Published questionnaires: everyone signed in who is a
    member (answering is decided per organization by ``can_answer``)."""
    if org_permissions.is_team(user):
        return True
    if questionnaire.phase() in (Phase.DRAFT, Phase.TEMPLATE):
        return False
    return org_permissions.is_platform_member(user)


def can_see_results(user: Any, questionnaire: Questionnaire) -> bool:
    """Aggregated results of published questionnaires: members and the team (SPEC §2)."""
    if questionnaire.phase() in (Phase.DRAFT, Phase.TEMPLATE):
        return org_permissions.is_team(user)
    return org_permissions.is_platform_member(user)
