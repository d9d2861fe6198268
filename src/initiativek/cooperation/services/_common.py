"""Helpers shared by the cooperation services: who is told about what, how the one who
acted is named, and slugs."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind

from .. import permissions
from ..models import CooperationProposal
from ..permissions import EDITING_ROLES

# Fixed addresses under /kooperation/ that a proposal's slug must never take.
RESERVED_SLUGS = frozenset({"neu", "empfehlungen", "nachfassen", "aus-statement"})
SLUG_MAX = 200


def people_of(organizations: Iterable[Any], *, editors_only: bool = False) -> QuerySet:
    """Active accounts of ``organizations`` (only their admins and editors if asked).

    Organization and role are conditions on the *same* membership (one ``filter()`` call,
    one join): a plain member of one organization who edits for another is not an editor of
    the first."""
    conditions: dict[str, Any] = {"memberships__organization__in": list(organizations)}
    if editors_only:
        conditions["memberships__role__in"] = EDITING_ROLES
    return get_user_model().objects.filter(is_active=True, **conditions).distinct()


def acting_party(actor: Any, organization: Any) -> str:
    """How a notification names who acted on a cooperation of ``organization``: the
    organization when ``actor`` speaks for it, „das Team der Initiative K“ when a team member
    acts without speaking for it, otherwise the person (e.g. a host of the event). Lower case
    at the start: callers put ``capfirst`` around it at the beginning of a sentence."""
    if permissions.speaks_for(actor, organization):
        return organization.name
    if org_permissions.is_team(actor):
        return _("das Team der Initiative K")
    return str(actor)


def others(users: Iterable[Any], actor: Any) -> list[Any]:
    """``users`` without the person who caused the notification."""
    actor_pk = getattr(actor, "pk", None)
    return [user for user in users if user.pk != actor_pk]


def proposal_slug_pick(*, title: str) -> str:
    """A free slug from the title, never one of the fixed addresses under /kooperation/."""
    base = slugify(title)[:SLUG_MAX].strip("-") or "kooperation"
    taken = set(
        CooperationProposal.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    candidate, counter = base, 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def takes_part_in_exchange(organization: Any) -> bool:
    """Only member organizations that are not partner companies take part in the exchange."""
    return organization.is_member and organization.kind != OrganizationKind.PARTNER


def check_exchange_organization(organization: Any, *, field: str) -> None:
    """ValidationError on ``field`` unless ``organization`` takes part in the exchange."""
    if not takes_part_in_exchange(organization):
        raise ValidationError(
            {
                field: _(
                    "%(organization)s ist keine Mitgliedsorganisation der Initiative und kann "
                    "sich nicht an Kooperationen beteiligen."
                )
                % {"organization": organization.name}
            }
        )


def notify_member_added(*, actor: Any, proposal: CooperationProposal, organization: Any) -> None:
    """Tell the editors and admins of ``organization``, entered as a first member of
    ``proposal`` without asking, that it was entered – and that they can leave."""
    added_by = capfirst(acting_party(actor, proposal.initiator))
    notify(
        users=others(people_of([organization], editors_only=True), actor),
        kind=NotificationKind.COOPERATION_STATUS,
        text=_(
            "Sie wurden als beteiligte Organisation eingetragen: %(added_by)s hat "
            "%(organization)s an der Kooperation „%(title)s“ beteiligt. Wenn das nicht stimmt, "
            "können Sie die Kooperation verlassen."
        )
        % {"added_by": added_by, "organization": organization.name, "title": proposal.title},
        url=proposal.get_absolute_url(),
        mail_template="mail/cooperation_member_added",
        mail_context={
            "proposal": proposal,
            "organization": organization,
            "added_by": added_by,
            "statement": proposal.source_statement,
        },
    )


def notify_created_for_initiator(*, actor: Any, proposal: CooperationProposal) -> None:
    """When someone who doesn't speak for the initiator (the team, an event's host) created
    the proposal in its name, tell the initiator's editors and admins."""
    initiator = proposal.initiator
    if permissions.speaks_for(actor, initiator):
        return
    created_by = capfirst(acting_party(actor, initiator))
    notify(
        users=others(people_of([initiator], editors_only=True), actor),
        kind=NotificationKind.COOPERATION_STATUS,
        text=_(
            "%(created_by)s hat im Namen von %(organization)s den Kooperationsvorschlag "
            "„%(title)s“ angelegt."
        )
        % {"created_by": created_by, "organization": initiator.name, "title": proposal.title},
        url=proposal.get_absolute_url(),
        mail_template="mail/cooperation_created_for",
        mail_context={"proposal": proposal, "created_by": created_by},
    )
