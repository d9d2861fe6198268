"""Reads of consent records: only a person's own."""

from typing import Any

from django.db.models import Q, QuerySet

from .models import ConsentRecord


def _own(user: Any) -> Q:
    """Records of the person: given with the account or, as a guest, with its e-mail address
    (the account's address is verified, so guest registrations with it are the person's)."""
    return Q(user=user) | (Q(user__isnull=True) & Q(email__iexact=user.email) & ~Q(email=""))


def consent_list_for_user(*, user: Any) -> QuerySet[ConsentRecord]:
    """The person's consents, newest first, with what they belong to."""
    return (
        ConsentRecord.objects.filter(_own(user))
        .select_related(
            "text",
            "registration__event",
            "response__questionnaire",
            "response__organization",
        )
        .order_by("-given_at", "-pk")
    )


def consent_get_for_user(*, user: Any, pk: int) -> ConsentRecord | None:
    """One of the person's consents (locked for the withdrawal), or None."""
    return (
        ConsentRecord.objects.select_for_update(of=("self",))
        .filter(_own(user), pk=pk)
        .select_related("registration")
        .first()
    )
