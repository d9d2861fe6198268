"""The discussion thread of a cooperation."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log, rate_limit_exceeded

from .. import permissions
from ..constants import ProposalStatus
from ..models import CooperationPost, CooperationProposal
from ._common import others, people_of

# Enough for a lively discussion, not for a flood (per person, across all threads).
POST_LIMIT = 20
POST_PERIOD_SECONDS = 10 * 60


def _check_author(actor: Any, proposal: CooperationProposal, organization: Any) -> None:
    if not permissions.can_post(actor, proposal):
        raise PermissionDenied(
            _("In der Diskussion schreiben die Personen der beteiligten Organisationen.")
        )
    if not proposal.members.filter(organization=organization).exists():
        raise PermissionDenied(
            _("%(organization)s ist an dieser Kooperation nicht beteiligt.")
            % {"organization": organization.name}
        )
    if not organization.memberships.filter(user=actor).exists():
        raise PermissionDenied(
            _("Sie gehören nicht zu %(organization)s.") % {"organization": organization.name}
        )


@transaction.atomic
def post_create(
    *, actor: Any, proposal: CooperationProposal, organization: Any, text: str
) -> CooperationPost:
    """A participant writes in the thread for one of their organizations that takes part.
    The text is stored as written (Markdown) and sanitized when shown. The people of all
    member organizations are told – the author's colleagues too, never the author; the mail
    carries the text as written (plain text, never rendered HTML)."""
    _check_author(actor, proposal, organization)
    if proposal.status == ProposalStatus.CLOSED:
        raise ValidationError(_("Die Kooperation ist abgeschlossen; die Diskussion ist beendet."))
    if not text.strip():
        raise ValidationError({"text": _("Bitte schreiben Sie einen Beitrag.")})
    if rate_limit_exceeded(
        key=f"cooperation-post:{actor.pk}", limit=POST_LIMIT, period_seconds=POST_PERIOD_SECONDS
    ):
        raise ValidationError(
            _(
                "Sie haben in kurzer Zeit sehr viele Beiträge geschrieben. Bitte warten Sie "
                "einige Minuten."
            )
        )
    post = CooperationPost(
        proposal=proposal, author=actor, organization=organization, text=text.strip()
    )
    post.full_clean()
    post.save()
    audit_log(
        actor=actor,
        action="cooperation.post.created",
        obj=proposal,
        data={"organization": organization.name, "post": post.pk},
    )
    members = proposal.members.select_related("organization")
    organizations = [member.organization for member in members]
    notify(
        users=others(people_of(organizations), actor),
        kind=NotificationKind.COOPERATION_POST,
        text=_("Neuer Beitrag von %(organization)s in „%(title)s“.")
        % {"organization": organization.name, "title": proposal.title},
        url=f"{proposal.get_absolute_url()}#beitrag-{post.pk}",
        mail_template="mail/cooperation_post",
        mail_context={"proposal": proposal, "post": post},
    )
    return post
