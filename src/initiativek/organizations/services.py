"""Every write to organizations, memberships, applications and invitations."""

from datetime import timedelta
from itertools import chain, count
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log, mail_queue_template

from . import permissions, selectors
from .constants import (
    PARENT_CYCLE,
    ApplicationStatus,
    OrganizationKind,
    OrganizationSource,
    Role,
)
from .models import Invitation, Membership, MembershipApplication, Organization


def organization_slug_base(name: str) -> str:
    return slugify(name.replace("ß", "ss"))[:200] or "organisation"


def organization_slug_pick(*, name: str, ags: str, taken: set[str]) -> str:
    """The first free slug: the name, then name and AGS, then name and a counter."""
    base = organization_slug_base(name)
    first = [base, f"{base}-{ags}"] if ags else [base]
    candidates = chain(first, (f"{base}-{n}" for n in count(2)))
    return next(candidate for candidate in candidates if candidate not in taken)


def organization_unique_slug(*, name: str, ags: str = "") -> str:
    """A slug for a new organization; the AGS or a counter makes it unique."""
    base = organization_slug_base(name)
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return organization_slug_pick(name=name, ags=ags, taken=taken)


def organization_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    ags: str = "",
    website: str = "",
    is_member: bool = False,
) -> Organization:
    region = selectors.region_get_municipality(ags=ags) if ags else None
    organization = Organization(
        name=name,
        slug=organization_unique_slug(name=name, ags=ags),
        kind=kind,
        ags=ags,
        region=region,
        population=region.population if region else None,
        website=website,
        is_member=is_member,
        member_since=timezone.localdate() if is_member else None,
        source=OrganizationSource.PLATFORM,
    )
    organization.full_clean()
    organization.save()
    audit_log(actor=actor, action="organizations.organization.created", obj=organization)
    return organization


@transaction.atomic
def organization_profile_save(
    *, organization: Organization, actor: Any, data: dict, contacts=None
) -> Organization:
    """Save an organization's profile fields and, optionally, a validated contact formset –
    all or nothing."""
    if not permissions.can_edit_organization(actor, organization):
        raise PermissionDenied
    organization = _lock_organization(organization)
    if data.get("parent") is not None and selectors.organization_parent_creates_cycle(
        organization=organization, parent=data["parent"]
    ):  # checked again under the lock: two crossing changes must not build a cycle
        raise ValidationError({"parent": PARENT_CYCLE})
    changed = sorted(
        field for field, value in data.items() if getattr(organization, field) != value
    )
    for field, value in data.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    if contacts is not None and contacts.has_changed():
        contacts.instance = organization
        contacts.save()
        changed.append("contacts")
    if changed:
        audit_log(
            actor=actor,
            action="organizations.organization.changed",
            obj=organization,
            data={"fields": changed},
        )
    return organization


# --- Membership applications ---------------------------------------------------------------


def _notify_team_of_application(application: MembershipApplication) -> None:
    mail_queue_template(
        to=selectors.team_email_addresses(),
        template="mail/application_submitted_team",
        context={"application": application},
    )


MAX_PENDING_APPLICATIONS = 3


@transaction.atomic
def application_submit(
    *,
    applicant: Any,
    organization: Organization | None,
    applicant_function: str,
    message: str = "",
    new_organization: dict | None = None,
) -> MembershipApplication:
    """Ask the team to let ``applicant`` represent an existing or a new organization."""
    if not permissions.can_apply(applicant):
        raise PermissionDenied
    if organization is not None and organization.memberships.filter(user=applicant).exists():
        raise ValidationError(_("Sie gehören dieser Organisation bereits an."))
    if organization is not None and selectors.application_pending_for(
        user=applicant, organization=organization
    ):
        raise ValidationError(_("Für diese Organisation liegt bereits ein offener Antrag vor."))
    pending = MembershipApplication.objects.filter(
        applicant=applicant, status=ApplicationStatus.PENDING
    ).count()
    if pending >= MAX_PENDING_APPLICATIONS:
        # Every application mails the team; nobody needs more open at once.
        raise ValidationError(
            _(
                "Sie haben bereits %(count)s offene Anträge. Bitte warten Sie, bis das Team "
                "über sie entschieden hat, oder ziehen Sie einen zurück."
            )
            % {"count": pending}
        )
    existing = selectors.organization_municipality_by_ags(
        ags=(new_organization or {}).get("ags", "")
    )
    if existing is not None:
        raise ValidationError(
            {
                "new_organization_ags": _(
                    "%(name)s ist mit diesem Gemeindeschlüssel schon im Verzeichnis. Bitte "
                    "beantragen Sie dort, die Organisation zu vertreten."
                )
                % {"name": existing.name}
            }
        )
    application = MembershipApplication(
        applicant=applicant,
        organization=organization,
        applicant_function=applicant_function,
        message=message,
    )
    for field, value in (new_organization or {}).items():
        setattr(application, f"new_organization_{field}", value)
    application.full_clean()
    application.save()
    audit_log(actor=applicant, action="organizations.application.submitted", obj=application)
    _notify_team_of_application(application)
    return application


def _lock_pending(application_id: int) -> MembershipApplication:
    application = (
        MembershipApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "organization")
        .get(pk=application_id)
    )
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Dieser Antrag wurde bereits entschieden."))
    return application


@transaction.atomic
def application_approve(
    *, application: MembershipApplication, actor: Any, reason: str = ""
) -> MembershipApplication:
    """Make the organization a member and link the applicant to it.

    The applicant becomes the organization's admin when it has none yet, otherwise a member
    whom the organization's admins can promote.
    """
    if not permissions.can_review_applications(actor):
        raise PermissionDenied
    application = _lock_pending(application.pk)
    organization = application.organization
    if organization is None:
        organization = organization_create(
            actor=actor,
            name=application.new_organization_name,
            kind=application.new_organization_kind or OrganizationKind.SONSTIGE,
            ags=application.new_organization_ags,
            website=application.new_organization_website,
        )
        application.organization = organization
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not organization.is_member:
        organization.is_member = True
        organization.member_since = timezone.localdate()
        organization.save(update_fields=["is_member", "member_since", "updated_at"])
        audit_log(actor=actor, action="organizations.organization.joined", obj=organization)
    admin_emails = selectors.organization_admin_emails(organization=organization)
    role = Role.MEMBER if admin_emails else Role.ADMIN
    membership, _created = Membership.objects.get_or_create(
        organization=organization, user=application.applicant, defaults={"role": role}
    )
    application.status = ApplicationStatus.APPROVED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save()
    audit_log(
        actor=actor,
        action="organizations.application.approved",
        obj=application,
        data={"role": membership.role},
    )
    mail_queue_template(
        to=[application.applicant.email],
        template="mail/application_approved",
        context={"application": application, "membership": membership},
    )
    if admin_emails:  # the organization's side: its admins learn who joined
        mail_queue_template(
            to=admin_emails,
            template="mail/application_approved_admins",
            context={"application": application, "membership": membership},
        )
    return application


@transaction.atomic
def application_reject(
    *, application: MembershipApplication, actor: Any, reason: str
) -> MembershipApplication:
    if not permissions.can_review_applications(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Ablehnung.")})
    application = _lock_pending(application.pk)
    application.status = ApplicationStatus.REJECTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    audit_log(actor=actor, action="organizations.application.rejected", obj=application)
    mail_queue_template(
        to=[application.applicant.email],
        template="mail/application_rejected",
        context={"application": application},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: MembershipApplication, actor: Any) -> None:
    if not permissions.can_withdraw_application(actor, application):
        raise PermissionDenied
    application = _lock_pending(application.pk)
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="organizations.application.withdrawn", obj=application)


# --- People of an organization --------------------------------------------------------------


def _lock_organization(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def invitation_create(
    *, organization: Organization, actor: Any, email: str, role: str
) -> Invitation:
    if not permissions.can_manage_people(actor, organization):
        raise PermissionDenied
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Diese Person gehört der Organisation bereits an.")})
    open_invitations = selectors.invitation_list_open_for_organization(
        organization=organization
    ).filter(email__iexact=email)
    # An expired invitation no longer blocks a new one: it is closed here.
    open_invitations.filter(expires_at__lte=timezone.now()).update(revoked_at=timezone.now())
    if open_invitations.exists():
        raise ValidationError({"email": _("An diese Adresse ist bereits eine Einladung offen.")})
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a parallel request invited the same address
        raise ValidationError(
            {"email": _("An diese Adresse ist bereits eine Einladung offen.")}
        ) from exc
    audit_log(
        actor=actor,
        action="organizations.invitation.created",
        obj=organization,
        data={"email": email, "role": role},
    )
    mail_queue_template(
        to=[email],
        template="mail/invitation",
        context={"invitation": invitation},
        sensitive=True,  # the link grants access to the organization
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Any) -> None:
    if not permissions.can_manage_people(actor, invitation.organization):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("Diese Einladung ist nicht mehr offen."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_log(
        actor=actor,
        action="organizations.invitation.revoked",
        obj=invitation.organization,
        data={"email": invitation.email},
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """Link ``user`` to the inviting organization. Only the invited address may accept."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=invitation.pk)
    )
    if invitation.revoked_at or invitation.accepted_at:
        raise ValidationError(_("Diese Einladung ist nicht mehr gültig."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("Diese Einladung ist abgelaufen. Bitten Sie um eine neue."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_log(
        actor=user,
        action="organizations.invitation.accepted",
        obj=invitation.organization,
        data={"role": membership.role, "new": created},
    )
    return membership


def _ensure_other_admin(organization: Organization, membership: Membership) -> None:
    others = organization.memberships.filter(role=Role.ADMIN, user__is_active=True).exclude(
        pk=membership.pk
    )
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError(
            _(
                "Die Organisation braucht mindestens eine Person mit der Rolle Administration. "
                "Ernennen Sie zuerst eine weitere Person."
            )
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: Any, role: str) -> Membership:
    organization = _lock_organization(membership.organization)
    if not permissions.can_manage_people(actor, organization):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Unbekannte Rolle."))
    membership = Membership.objects.get(pk=membership.pk)
    if membership.role == role:
        return membership
    if role != Role.ADMIN:
        _ensure_other_admin(organization, membership)
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log(
        actor=actor,
        action="organizations.membership.role_changed",
        obj=organization,
        data={"user": membership.user.email, "from": old_role, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    organization = _lock_organization(membership.organization)
    leaving_self = membership.user_id == actor.pk
    if not (leaving_self or permissions.can_manage_people(actor, organization)):
        raise PermissionDenied
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    _ensure_other_admin(organization, membership)
    membership.delete()
    audit_log(
        actor=actor,
        action="organizations.membership.removed",
        obj=organization,
        data={"user": membership.user.email},
    )
