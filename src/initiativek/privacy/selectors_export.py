"""Everything the platform stores about one person, for the download on "Meine Daten"
(DSGVO Art. 15 and 20).

Only the person's own data: where a record also names others (who decided an application,
whose role an admin changed, which participant a host checked in), those parts are left out.
Secrets are never exported (API token hashes, registration and calendar links, 2FA keys).
"""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from initiativek.core.models import AuditEntry

from .selectors import consent_list_for_user

FORMAT_VERSION = 1
# Audit entries about these objects name other people in their text; only the action and
# time are exported.
PERSON_MODELS = {
    ("accounts", "user"),
    ("events", "registration"),
    ("organizations", "membership"),
    ("organizations", "membershipapplication"),
    ("organizations", "invitation"),
    ("core", "accessibilityfeedback"),
}
PERSON_DATA_KEYS = ("user", "email")


def _choice(obj: Any, field: str) -> dict[str, str]:
    return {"value": getattr(obj, field), "label": str(getattr(obj, f"get_{field}_display")())}


def _account(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "function": user.function,
        "phone": user.phone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_team": user.is_staff,
    }


def _sign_in(user: Any) -> dict[str, list]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "two_factor_methods": [
            {"type": method.type, "created_at": method.created_at, "last_used": method.last_used_at}
            for method in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "revoked_at": token.revoked_at,
            }
            for token in user.api_tokens.order_by("created_at", "pk")
        ],
    }


def _organizations(user: Any) -> dict[str, list]:
    from initiativek.organizations.models import Invitation, MembershipApplication

    memberships = user.memberships.select_related("organization").order_by("created_at", "pk")
    applications = MembershipApplication.objects.filter(applicant=user).select_related(
        "organization"
    )
    invitations = Invitation.objects.filter(email__iexact=user.email).select_related("organization")
    return {
        "memberships": [
            {
                "organization": m.organization.name,
                "organization_slug": m.organization.slug,
                "role": _choice(m, "role"),
                "since": m.created_at,
            }
            for m in memberships
        ],
        "membership_applications": [
            {
                "organization": a.organization_name,
                "your_function": a.applicant_function,
                "message": a.message,
                "status": _choice(a, "status"),
                "submitted_at": a.created_at,
                "decided_at": a.decided_at,
                "decision_reason": a.decision_reason,
            }
            for a in applications.order_by("created_at", "pk")
        ],
        "invitations": [
            {
                "organization": i.organization.name,
                "role": _choice(i, "role"),
                "created_at": i.created_at,
                "expires_at": i.expires_at,
                "accepted_at": i.accepted_at,
                "revoked_at": i.revoked_at,
            }
            for i in invitations.order_by("created_at", "pk")
        ],
    }


def _events(user: Any) -> dict[str, Any]:
    from initiativek.events.models import CalendarFeed, ClosingStatement, Registration

    registrations = (
        Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("event", "organization")
        .order_by("created_at", "pk")
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    statements = ClosingStatement.objects.filter(created_by=user).select_related(
        "event", "organization"
    )
    return {
        "event_registrations": [
            {
                "event": r.event.title,
                "event_slug": r.event.slug,
                "event_starts_at": r.event.starts_at,
                "name": r.name,
                "email": r.email,
                "organization": r.organization_label,
                "attendance": _choice(r, "mode"),
                "status": _choice(r, "status"),
                "registered_at": r.created_at,
                "listed_in_participant_list": r.listed,
                "accessibility_needs": r.access_needs,
                "language": r.language,
                "privacy_consent_at": r.privacy_consent_at,
                "privacy_text_version": r.privacy_text_version,
                "attended_at": r.attended_at,
                "cancelled_at": r.cancelled_at,
            }
            for r in registrations
        ],
        "personal_calendar_feed": {"created_at": feed.created_at} if feed else None,
        "closing_statements_recorded": [
            {"event": s.event.title, "organization": s.organization.name, "text": s.text}
            for s in statements.order_by("created_at", "pk")
        ],
    }


def _notifications(user: Any) -> dict[str, list]:
    return {
        "notifications": [
            {
                "created_at": n.created_at,
                "kind": _choice(n, "kind"),
                "text": n.text,
                "url": n.url,
                "read_at": n.read_at,
            }
            for n in user.notifications.order_by("created_at", "pk")
        ],
        "notification_preferences": [
            {"kind": _choice(p, "kind"), "email": p.email}
            for p in user.notification_preferences.order_by("kind")
        ],
    }


def _consents(user: Any) -> list[dict[str, Any]]:
    rows = []
    for record in consent_list_for_user(user=user):
        about = ""
        if record.registration_id:
            about = record.registration.event.title
        elif record.response_id:
            about = f"{record.response.questionnaire} – {record.response.organization}"
        rows.append(
            {
                "purpose": _choice(record, "purpose"),
                "about": about,
                "text": record.text.text,
                "text_version": record.text.version,
                "text_sha256": record.text.sha256,
                "text_language": record.text.language,
                "given_at": record.given_at,
                "withdrawn_at": record.withdrawn_at,
                "source": _choice(record, "source"),
            }
        )
    return rows


def _audit_data(data: Any, own_email: str) -> Any:
    if not isinstance(data, dict):
        return data
    return {
        key: value
        if key not in PERSON_DATA_KEYS or str(value).lower() == own_email.lower()
        else "…"
        for key, value in data.items()
    }


def _audit_entries(user: Any) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(actor=user).select_related("content_type")
    rows = []
    for entry in entries.order_by("created_at", "pk"):
        content_type = entry.content_type
        about_person = (
            content_type is not None
            and (content_type.app_label, content_type.model) in PERSON_MODELS
        )
        rows.append(
            {
                "created_at": entry.created_at,
                "action": entry.action,
                "object_type": content_type.model if content_type else "",
                "object": "" if about_person else entry.object_repr,
                "details": _audit_data(entry.data, user.email),
            }
        )
    return rows


def _surveys(user: Any) -> dict[str, list]:
    from initiativek.surveys.models import ResponseChange

    changes = ResponseChange.objects.filter(user=user).select_related(
        "response__questionnaire", "response__organization"
    )
    return {
        "questionnaire_response_changes": [
            {
                "questionnaire": c.response.questionnaire.title,
                "organization": c.response.organization.name,
                "action": _choice(c, "action"),
                "at": c.created_at,
                "changes": c.changes,
            }
            for c in changes.order_by("created_at", "pk")
        ]
    }


def _cooperation(user: Any) -> dict[str, list]:
    from initiativek.cooperation.models import (
        CooperationPost,
        CooperationProposal,
        JoinRequest,
        RecommendationDismissal,
    )

    proposals = CooperationProposal.objects.filter(created_by=user).select_related("initiator")
    requests = JoinRequest.objects.filter(requested_by=user).select_related(
        "proposal", "organization"
    )
    posts = CooperationPost.objects.filter(author=user).select_related("proposal", "organization")
    dismissals = RecommendationDismissal.objects.filter(created_by=user).select_related(
        "organization", "other"
    )
    return {
        "cooperation_proposals_created": [
            {"title": p.title, "organization": p.initiator.name, "created_at": p.created_at}
            for p in proposals.order_by("created_at", "pk")
        ],
        "cooperation_join_requests": [
            {
                "proposal": r.proposal.title,
                "organization": r.organization.name,
                "message": r.message,
                "status": _choice(r, "status"),
                "created_at": r.created_at,
            }
            for r in requests.order_by("created_at", "pk")
        ],
        "cooperation_posts": [
            {
                "proposal": p.proposal.title,
                "organization": p.organization.name,
                "text": p.text,
                "created_at": p.created_at,
                "edited_at": p.edited_at,
            }
            for p in posts.order_by("created_at", "pk")
        ],
        "recommendation_dismissals": [
            {
                "organization": d.organization.name,
                "hidden_organization": d.other.name,
                "reason": _choice(d, "reason"),
                "created_at": d.created_at,
            }
            for d in dismissals.order_by("created_at", "pk")
        ],
    }


def _projects(user: Any) -> dict[str, list]:
    from initiativek.projects.models import InterestMessage, ProjectInterest, ProjectVersion

    interests = ProjectInterest.objects.filter(user=user).select_related("project", "organization")
    messages = InterestMessage.objects.filter(author=user).select_related(
        "interest__project", "organization"
    )
    versions = ProjectVersion.objects.filter(actor=user).select_related("project")
    return {
        "project_interests": [
            {
                "project": i.project.title,
                "organization": i.organization.name,
                "kind": _choice(i, "kind"),
                "created_at": i.created_at,
            }
            for i in interests.order_by("created_at", "pk")
        ],
        "project_interest_messages": [
            {
                "project": m.interest.project.title,
                "organization": m.organization.name,
                "text": m.text,
                "created_at": m.created_at,
            }
            for m in messages.order_by("created_at", "pk")
        ],
        "project_changes": [
            {
                "project": v.project.title,
                "action": v.action,
                "changed_fields": v.changed_fields,
                "at": v.created_at,
            }
            for v in versions.order_by("created_at", "pk")
        ],
    }


def _other(user: Any) -> dict[str, list]:
    from initiativek.core.models import AccessibilityFeedback, OutgoingMail

    feedback = AccessibilityFeedback.objects.filter(email__iexact=user.email)
    # The JSON list of recipients is searched as text, then checked exactly; other
    # recipients of the same mail are not exported.
    mails = OutgoingMail.objects.filter(to__icontains=user.email).order_by("created_at", "pk")
    own = user.email.lower()
    return {
        "accessibility_feedback": [
            {
                "name": f.name,
                "page": f.page_url,
                "message": f.message,
                "created_at": f.created_at,
            }
            for f in feedback.order_by("created_at", "pk")
        ],
        "emails_to_you": [
            {
                "subject": mail.subject,
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
                "status": _choice(mail, "status"),
            }
            for mail in mails
            if own in {address.lower() for address in mail.to}
        ],
    }


def personal_data_export(*, user: Any) -> dict[str, Any]:
    """All data about ``user`` as a JSON-ready dict (datetimes left for the encoder)."""
    return {
        "format": {
            "name": "initiativek-personal-data",
            "version": FORMAT_VERSION,
            "created_at": timezone.now(),
            "platform": settings.PLATFORM_NAME,
            "site": settings.SITE_URL,
        },
        "account": _account(user),
        **_sign_in(user),
        **_organizations(user),
        **_events(user),
        **_notifications(user),
        "consents": _consents(user),
        "audit_entries": _audit_entries(user),
        **_surveys(user),
        **_cooperation(user),
        **_projects(user),
        **_other(user),
    }
