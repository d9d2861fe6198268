"""Reads of organizations, regions and memberships."""

from typing import Any

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, When
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from initiativek.core.text import search_text

from . import permissions
from .constants import ApplicationStatus, OrganizationKind, RegionLevel, Role
from .models import (
    ContactPerson,
    Invitation,
    Membership,
    MembershipApplication,
    Organization,
    Region,
)


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("region", "region__parent")


def organization_get(*, slug: str) -> Organization:
    try:
        return organization_list().select_related("parent").get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def organization_parent_creates_cycle(*, organization: Organization, parent) -> bool:
    """Would ``parent`` make ``organization`` its own ancestor? The walk up also ends on a
    cycle already stored further up (written by an import or the admin)."""
    node, seen = parent, set()
    while node is not None and node.pk not in seen:
        if node.pk == organization.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


# Where an organization's AGS or region key comes from, most specific first.
REGION_KEY_SOURCES = ("ags", "parent__ags", "region__key", "parent__region__key")


def organization_region_keys(organization: Organization) -> list[str]:
    """Keys to derive Kreis and Regierungsbezirk from, most specific source first: own AGS,
    the parent's AGS (Stadtwerke, Eigenbetriebe), own region's key, the parent's region's key.
    May load parent and regions; ``region_key_sql`` is the same rule as a database expression.
    """
    parent = organization.parent if organization.parent_id else None
    keys = [organization.ags, parent.ags if parent else ""]
    for owner in (organization, parent):
        region = owner.region if owner is not None and owner.region_id else None
        keys.append(region.key if region else "")
    return [key for key in keys if key and key.isdigit()]


def region_key_part(keys: list[str], length: int) -> str | None:
    """The first ``length`` digits of the first key long enough: 3 → Regierungsbezirk
    ("084"), 5 → Kreis ("08436")."""
    for key in keys:
        if len(key) >= length:
            return key[:length]
    return None


def region_key_sql(prefix: str, length: int) -> Case:
    """``organization_region_keys`` + ``region_key_part`` as one SQL expression over the
    organization reached by ``prefix`` (e.g. ``"organization__"``): NULL if no key fits."""
    whens = [
        When(
            Q(**{f"{prefix}{source}__regex": rf"^[0-9]{{{length},}}$"}),
            then=Substr(F(f"{prefix}{source}"), 1, length),
        )
        for source in REGION_KEY_SOURCES
    ]
    return Case(*whens, default=None, output_field=CharField())


def organization_member_count() -> int:
    return (
        Organization.objects.filter(is_member=True).exclude(kind=OrganizationKind.PARTNER).count()
    )


def organization_partner_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.PARTNER, is_member=True).order_by(
        "name"
    )


def organization_region_path(*, organization: Organization) -> list[Region]:
    """Land → Regierungsbezirk → Kreis above the organization (the Gemeinde itself left out)."""
    region = organization.region
    if region is None:
        return []
    path = [*region.ancestors(), region]
    return [node for node in path if node.level != RegionLevel.GEMEINDE]


def organization_children(*, organization: Organization) -> QuerySet[Organization]:
    return organization.children.order_by("name")


def organization_contacts_for_viewer(*, organization: Organization, user: Any) -> list[dict]:
    viewer_is_member = permissions.is_platform_member(user)
    contacts = []
    for contact in organization.contacts.all():
        visible = permissions.visible_contact(contact, viewer_is_member=viewer_is_member)
        if visible is not None:
            contacts.append(visible)
    return contacts


def organization_hidden_contact_count(*, organization: Organization, user: Any) -> int:
    if permissions.is_platform_member(user):
        return 0
    return organization.contacts.exclude(visibility="public").count()


def organization_municipality_by_ags(*, ags: str) -> Organization | None:
    """The town or Landkreis with this official key, if the directory has it."""
    if not ags:
        return None
    return Organization.objects.filter(ags=ags).order_by("pk").first()


def organization_search(*, query: str, limit: int = 20) -> QuerySet[Organization]:
    query = query.strip()
    if not query:
        return Organization.objects.none()
    return (
        organization_list()
        .filter(Q(search_name__contains=search_text(query)) | Q(ags=query))
        .order_by("-is_member", "name")[:limit]
    )


def region_regierungsbezirke() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.REGIERUNGSBEZIRK).order_by("key")


def region_kreise() -> QuerySet[Region]:
    return (
        Region.objects.filter(level=RegionLevel.KREIS)
        .select_related("parent")
        .order_by("parent__key", "name")
    )


def region_get_municipality(*, ags: str) -> Region | None:
    return Region.objects.filter(level=RegionLevel.GEMEINDE, key=ags).first()


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return user.memberships.select_related("organization").order_by("organization__name")


def membership_list_for_organization(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__name", "user__email")


def application_list_for_user(*, user: Any) -> QuerySet[MembershipApplication]:
    return user.membership_applications.select_related("organization").order_by("-created_at")


def application_pending_count(*, user: Any) -> int:
    if not permissions.can_review_applications(user):
        return 0
    return MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count()


def application_list_for_review(*, status: str | None) -> QuerySet[MembershipApplication]:
    applications = MembershipApplication.objects.select_related(
        "applicant", "organization", "decided_by"
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return applications.order_by("status", "-created_at")


def application_status_counts() -> dict[str, int]:
    rows = MembershipApplication.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def application_get_for_review(*, user: Any, pk: int) -> MembershipApplication:
    if not permissions.can_review_applications(user):
        raise Http404
    try:
        return application_list_for_review(status=None).get(pk=pk)
    except MembershipApplication.DoesNotExist as exc:
        raise Http404 from exc


def application_pending_for(*, user: Any, organization: Organization) -> bool:
    return MembershipApplication.objects.filter(
        applicant=user, organization=organization, status=ApplicationStatus.PENDING
    ).exists()


def invitation_list_open_for_organization(*, organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_list_open_for_user(*, user: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("organization")


def invitation_get_by_token(*, token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("organization").get(token=token)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def team_email_addresses() -> list[str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    addresses = {settings.TEAM_EMAIL, *staff.values_list("email", flat=True)}
    return sorted(address for address in addresses if address)


def organization_admin_emails(*, organization: Organization) -> list[str]:
    return sorted(
        organization.memberships.filter(role=Role.ADMIN, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def organization_detail_contacts_prefetch() -> Prefetch:
    return Prefetch("contacts", queryset=ContactPerson.objects.order_by("position", "name"))


def organization_list_editable_by(*, user: Any) -> QuerySet[Organization]:
    """Member organizations whose projects and events ``user`` may create: as their editor
    or admin; the team for all."""
    organizations = Organization.objects.filter(is_member=True).order_by("name")
    if permissions.is_team(user):
        return organizations
    return organizations.filter(
        memberships__user=user, memberships__role__in=[Role.ADMIN, Role.EDITOR]
    ).distinct()
