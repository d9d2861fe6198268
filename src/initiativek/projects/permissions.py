"""Who may do what with projects – pure functions, one condition per line."""

from typing import Any

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import Role, Visibility

from .constants import Publication
from .models import Project


def _organization_ids(user: Any, roles: set[str] | None = None) -> set[int]:
    return {
        link.organization_id
        for link in org_permissions.user_links(user)
        if roles is None or link.role in roles
    }


def can_create_project_for(user: Any, organization) -> bool:
    return org_permissions.can_edit_organization(user, organization)


def can_edit_project(user: Any, project: Project) -> bool:
    if org_permissions.is_team(user):
        return True
    return project.owner_id in _organization_ids(user, {Role.ADMIN, Role.EDITOR})


def is_involved(user: Any, project: Project) -> bool:
    """People of the owning or of a partner organization."""
    organizations = _organization_ids(user)
    if project.owner_id in organizations:
        return True
    return project.partners.filter(pk__in=organizations).exists()


def can_view_history(user: Any, project: Project) -> bool:
    if org_permissions.is_team(user):
        return True
    return is_involved(user, project)


def can_view_project(user: Any, project: Project) -> bool:
    if org_permissions.is_team(user):
        return True
    if is_involved(user, project):
        return True
    if project.publication != Publication.PUBLISHED:
        return False
    if project.visibility == Visibility.PUBLIC:
        return True
    return org_permissions.is_platform_member(user)


def can_declare_interest(user: Any, project: Project) -> bool:
    """Members of another member organization; not the owner itself."""
    if not org_permissions.is_platform_member(user):
        return False
    if project.publication != Publication.PUBLISHED:
        return False
    return bool(_organization_ids(user) - {project.owner_id})
