"""Who may do what with events – pure functions, one condition per line."""

from typing import Any

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import Role

from .models import Event


def can_host(user: Any, event: Event) -> bool:
    """Editors and admins of a hosting organization, and the team, manage an event."""
    if org_permissions.is_team(user):
        return True
    if not user.is_authenticated:
        return False
    return event.hosts.filter(
        memberships__user=user, memberships__role__in=[Role.ADMIN, Role.EDITOR]
    ).exists()


def can_see_participants(user: Any, event: Event) -> bool:
    """Personal data of participants: the hosts and the team only (SPEC §2)."""
    return can_host(user, event)


def gets_online_link(registration) -> bool:
    """The online link goes to confirmed participants who attend online (or of an online
    event) of a published event – so on-site seats don't bypass the online capacity."""
    from .constants import AttendanceMode, EventFormat, EventStatus, RegistrationStatus

    event = registration.event
    if registration.status != RegistrationStatus.CONFIRMED:
        return False
    if event.status != EventStatus.PUBLISHED or not event.online_url:
        return False
    return event.format == EventFormat.ONLINE or registration.mode == AttendanceMode.ONLINE
