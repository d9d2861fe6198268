"""Deleting a person's account (DSGVO Art. 17).

The user row stays, anonymized, so that audit entries, project versions, questionnaire
histories and discussion posts keep pointing at "Gelöschte Person"; what the person wrote for
their organization (projects, answers, posts) is the organization's and stays. Everything that
identifies the person goes: name, e-mail address, function, phone, password, sign-in methods,
memberships, notifications, tokens, sessions; their event registrations are anonymized.
"""

from email.utils import parseaddr
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.models import (
    AccessibilityFeedback,
    AuditEntry,
    Notification,
    NotificationPreference,
    OutgoingMail,
)
from initiativek.core.services import audit_log
from initiativek.organizations.constants import ApplicationStatus, Role
from initiativek.organizations.models import (
    Invitation,
    Membership,
    MembershipApplication,
    Organization,
)

from .models import ApiToken, User

DELETED_NAME = "Gelöschte Person"
DELETED_EMAIL_DOMAIN = "konto.invalid"


def deleted_email(user_id: int) -> str:
    """An address that can never receive mail (``.invalid``, RFC 2606) and stays unique."""
    return f"geloescht-{user_id}@{DELETED_EMAIL_DOMAIN}"


def account_delete_blockers(*, user: User) -> list[Organization]:
    """Organizations of which the person is the only (active) admin: they must hand over the
    role before the account can go, or the organization would have nobody to manage it."""
    blockers = []
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).select_related("organization")
    for membership in admin_of:
        others = Membership.objects.filter(
            organization=membership.organization, role=Role.ADMIN, user__is_active=True
        ).exclude(user=user)
        if not others.exists():
            blockers.append(membership.organization)
    return blockers


def _forget_mails(email: str) -> int:
    """Mails to the person leave the outbox: queued ones are not sent any more, sent ones are
    not kept until ``MAIL_RETENTION_DAYS``. A mail to several people only loses this
    address."""
    address = email.casefold()
    forgotten = 0
    for mail in OutgoingMail.objects.only("pk", "to").iterator():
        recipients = [entry for entry in mail.to if parseaddr(str(entry))[1].casefold() != address]
        if len(recipients) == len(mail.to):
            continue
        forgotten += 1
        if recipients:
            OutgoingMail.objects.filter(pk=mail.pk).update(to=recipients)
        else:
            OutgoingMail.objects.filter(pk=mail.pk).delete()
    return forgotten


def _remove_memberships(user: User) -> int:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    for membership in memberships:
        membership.delete()
        # No name or address: the entry says only that somebody left with their account.
        audit_log(
            actor=None,
            action="organizations.membership.removed",
            obj=membership.organization,
            data={"reason": "account_deleted", "role": membership.role},
        )
    return len(memberships)


def _close_applications_and_invitations(user: User, email: str, now) -> None:
    applications = MembershipApplication.objects.filter(applicant=user)
    applications.filter(status=ApplicationStatus.PENDING).update(
        status=ApplicationStatus.WITHDRAWN, updated_at=now
    )
    applications.update(applicant_function="", message="")
    invitations = Invitation.objects.filter(email__iexact=email)
    invitations.filter(accepted_at=None, revoked_at=None).update(revoked_at=now)
    invitations.update(email=deleted_email(user.pk))


_SESSIONS_IN_DATABASE = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _end_sign_in(user: User, now) -> None:
    ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    if settings.SESSION_ENGINE in _SESSIONS_IN_DATABASE:
        # Changing the password already ends every session (Django checks the session's
        # password hash); removing the rows – and with cached_db their copies in the cache –
        # leaves nothing behind.
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in Session.objects.filter(expire_date__gt=now).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                store(session.session_key).delete()


def _scrub_audit_trail(user: User, email: str, application_ids: list[int]) -> None:
    """Earlier entries named the person in their text ("Name → Organisation") or details
    (e-mail address of a role change): replace with the anonymized name."""
    for model, ids in ((User, [user.pk]), (MembershipApplication, application_ids)):
        content_type = ContentType.objects.get_for_model(model)
        for obj in model.objects.filter(pk__in=ids):
            AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).update(
                object_repr=str(obj)[:255]
            )
    for key in ("user", "email"):
        for entry in AuditEntry.objects.filter(**{f"data__{key}": email}):
            entry.data[key] = DELETED_NAME
            entry.save(update_fields=["data"])


def _anonymize_user(user: User) -> None:
    user.name = DELETED_NAME
    user.email = deleted_email(user.pk)
    user.function = ""
    user.phone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def account_delete(*, user: User) -> dict[str, int]:
    """Delete the person's account as described in the module docstring; the caller has
    checked the password and logs the person out. Refused (ValidationError) while the person
    is the last admin of an organization."""
    from initiativek.events.models import CalendarFeed
    from initiativek.events.services_privacy import registration_anonymize_for_person
    from initiativek.privacy.services import consent_end_for_user

    # The organizations the person administers are locked as the membership services lock
    # them: two admins deleting their accounts at once cannot both pass the check below.
    list(
        Organization.objects.select_for_update()
        .filter(memberships__user=user, memberships__role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    user = User.objects.select_for_update().get(pk=user.pk)
    blockers = account_delete_blockers(user=user)
    if blockers:
        raise ValidationError(
            _(
                "Sie sind die einzige Person mit der Rolle Administration bei: %(names)s. "
                "Ernennen Sie dort zuerst eine weitere Person zur Administration."
            )
            % {"names": ", ".join(organization.name for organization in blockers)},
            code="last_admin",
        )
    now = timezone.now()
    email = user.email
    application_ids = list(
        MembershipApplication.objects.filter(applicant=user).values_list("pk", flat=True)
    )
    counts = {  # consents first: anonymizing registrations unlinks their records
        # Mails first: the cancellations queued below are meant to reach the person.
        "mails": _forget_mails(email),
        "consents": consent_end_for_user(user=user, email=email),
        "registrations": registration_anonymize_for_person(user=user),
        "memberships": _remove_memberships(user),
    }
    _close_applications_and_invitations(user, email, now)
    _end_sign_in(user, now)
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    AccessibilityFeedback.objects.filter(email__iexact=email).update(name="", email="")
    _anonymize_user(user)
    _scrub_audit_trail(user, email, application_ids)
    audit_log(actor=None, action="accounts.user.deleted", obj=user, data=counts)
    return counts
