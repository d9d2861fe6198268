"""Writes of the recommendations: an organization hides another one from its suggestions, or
shows it again. Editors and admins of the organization decide; plain members only look."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log
from initiativek.organizations.models import Organization

from . import permissions
from .constants import DismissalReason
from .models import RecommendationDismissal


def _check_speaks_for(actor: Any, organization: Organization) -> None:
    if not permissions.speaks_for(actor, organization):
        raise PermissionDenied(
            _(
                "Empfehlungen ausblenden oder wieder anzeigen können Redaktion und "
                "Administration der Organisation."
            )
        )


@transaction.atomic
def recommendation_dismiss(
    *, organization: Organization, other: Organization, reason: str, actor: Any
) -> RecommendationDismissal:
    """Hide ``other`` from ``organization``'s recommendations (again: the reason is updated).

    Raises PermissionDenied unless ``actor`` speaks for ``organization``; ValidationError for
    an unknown reason or ``other`` being the organization itself.
    """
    _check_speaks_for(actor, organization)
    if reason not in DismissalReason.values:
        raise ValidationError(_("Bitte wählen Sie einen Grund zum Ausblenden."))
    if other.pk == organization.pk:
        raise ValidationError(_("Die eigene Organisation wird nie empfohlen."))
    dismissal = (
        RecommendationDismissal.objects.select_for_update()
        .filter(organization=organization, other=other)
        .first()
    )
    if dismissal is None:
        dismissal = RecommendationDismissal(organization=organization, other=other)
    dismissal.reason = reason
    dismissal.created_by = actor
    dismissal.full_clean()
    dismissal.save()
    audit_log(
        actor=actor,
        action="cooperation.recommendation.dismissed",
        obj=organization,
        data={"other": other.pk, "other_name": other.name, "reason": reason},
    )
    return dismissal


@transaction.atomic
def recommendation_restore(*, organization: Organization, other: Organization, actor: Any) -> bool:
    """Show ``other`` again in ``organization``'s recommendations; False if it wasn't hidden.

    Raises PermissionDenied unless ``actor`` speaks for ``organization``.
    """
    _check_speaks_for(actor, organization)
    deleted, _rows = RecommendationDismissal.objects.filter(
        organization=organization, other=other
    ).delete()
    if not deleted:
        return False
    audit_log(
        actor=actor,
        action="cooperation.recommendation.restored",
        obj=organization,
        data={"other": other.pk, "other_name": other.name},
    )
    return True
