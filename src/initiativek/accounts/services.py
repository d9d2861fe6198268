import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log

from .models import ApiToken, User

API_TOKEN_PREFIX = "ik_"  # noqa: S105 - a marker, not a secret
API_TOKEN_MAX_ACTIVE = 20
# Writing "last used" on every request would turn reads into writes; once a minute suffices.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def user_profile_update(*, user: User, actor: User, name: str, function: str, phone: str) -> User:
    user = User.objects.get(pk=user.pk)  # compare with what is stored, not with a bound form
    changed = {
        field: value
        for field, value in {"name": name, "function": function, "phone": phone}.items()
        if getattr(user, field) != value
    }
    for field, value in changed.items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    if changed:
        audit_log(
            actor=actor, action="accounts.user.profile_changed", obj=user, data=sorted(changed)
        )
    return user


def _api_token_hash(raw: str) -> str:
    # The secret has 256 random bits, so a plain hash (no slow KDF) is safe and fast to look up.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns it with the secret, which is not stored and can't
    be shown again. At most ``API_TOKEN_MAX_ACTIVE`` active tokens per person
    (ValidationError beyond)."""
    User.objects.select_for_update().get(pk=user.pk)  # the count below must hold
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= API_TOKEN_MAX_ACTIVE:
        raise ValidationError(
            _("Sie haben bereits %(count)d aktive API-Schlüssel. Widerrufen Sie zuerst einen.")
            % {"count": API_TOKEN_MAX_ACTIVE}
        )
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=raw[:10], key_hash=_api_token_hash(raw))
    token.full_clean()
    token.save()
    audit_log(actor=user, action="accounts.api_token.created", obj=token, data={"name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (idempotent). Other people's tokens are a 404."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404(_("Diesen API-Schlüssel gibt es nicht."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=user, action="accounts.api_token.revoked", obj=token)
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token with this secret of an active person, or None. Records the use
    (at most once per ``API_TOKEN_TOUCH_INTERVAL``)."""
    if not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_api_token_hash(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_list_for_user(*, user: User) -> list[ApiToken]:
    """The person's tokens, active ones first, newest first."""
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
    return sorted(tokens, key=lambda token: token.revoked_at is not None)
