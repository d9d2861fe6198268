"""Who may do what with organizations – pure functions, one condition per line."""

from typing import Any, NamedTuple

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .constants import OrganizationKind, Role, Visibility
from .models import ContactPerson, Membership, MembershipApplication, Organization


class _Link(NamedTuple):
    organization_id: int
    role: str
    is_member: bool
    kind: str


# A page asks "which organizations, in which role?" many times (the header, the permission of
# each box, the lists). The answer is read once per user object – for a request, once per
# request – and read again after any membership or organization was saved or deleted in this
# process (the generation below), so a change made during a request is seen by what follows.
_generation = [0]


@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=Organization)
def _memberships_changed(**kwargs: Any) -> None:
    _generation[0] += 1


def user_links(user: Any) -> list[_Link]:
    """The user's memberships: organization, role, and whether it is a member of the initiative
    and of which kind. Remembered on the user object (see ``_generation``)."""
    if not user.is_authenticated:
        return []
    generation = _generation[0]
    remembered = getattr(user, "_organization_links", None)
    if remembered is not None and remembered[0] == generation:
        return remembered[1]
    links = [
        _Link(*row)
        for row in Membership.objects.filter(user=user).values_list(
            "organization_id", "role", "organization__is_member", "organization__kind"
        )
    ]
    user._organization_links = (generation, links)
    return links


def is_team(user: Any) -> bool:
    """The initiative team: staff accounts."""
    if not user.is_authenticated:
        return False
    return bool(user.is_active and user.is_staff)


def role_in(user: Any, organization: Organization) -> str | None:
    return next(
        (link.role for link in user_links(user) if link.organization_id == organization.pk), None
    )


def is_platform_member(user: Any) -> bool:
    """A member sees members-only content: linked to a member organization, or the team.

    People of partner companies (vendors, consultancies) are not members: members-only contact
    details of municipalities stay among municipalities (docs/decisions/0004).
    """
    if not user.is_authenticated:
        return False
    if is_team(user):
        return True
    return any(
        link.is_member and link.kind != OrganizationKind.PARTNER for link in user_links(user)
    )


def can_edit_organization(user: Any, organization: Organization) -> bool:
    if is_team(user):
        return True
    return role_in(user, organization) in {Role.ADMIN, Role.EDITOR}


def can_manage_people(user: Any, organization: Organization) -> bool:
    if is_team(user):
        return True
    return role_in(user, organization) == Role.ADMIN


def can_see_people(user: Any, organization: Organization) -> bool:
    """The list of accounts linked to an organization is personal data: the organization's own
    people and the team only."""
    if is_team(user):
        return True
    return role_in(user, organization) is not None


def can_apply(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_review_applications(user: Any) -> bool:
    return is_team(user)


def can_withdraw_application(user: Any, application: MembershipApplication) -> bool:
    if not user.is_authenticated:
        return False
    if application.applicant_id != user.pk:
        return False
    return application.status == "pending"


def can_see(visibility: str, *, viewer_is_member: bool) -> bool:
    if visibility == Visibility.PUBLIC:
        return True
    return viewer_is_member


def visible_contact(contact: ContactPerson, *, viewer_is_member: bool) -> dict | None:
    """The parts of a contact person a viewer may see, or None if the person is hidden."""
    if not can_see(contact.visibility, viewer_is_member=viewer_is_member):
        return None
    email_ok = can_see(contact.email_visibility, viewer_is_member=viewer_is_member)
    phone_ok = can_see(contact.phone_visibility, viewer_is_member=viewer_is_member)
    return {
        "name": contact.name,
        "function": contact.function,
        "email": contact.email if email_ok else "",
        "phone": contact.phone if phone_ok else "",
        "hidden_details": bool(
            (contact.email and not email_ok) or (contact.phone and not phone_ok)
        ),
    }
