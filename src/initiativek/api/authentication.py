"""API authentication by personal token: ``Authorization: Bearer <token>`` or
``Authorization: Token <token>``. Tokens are created and revoked in the profile
(``accounts.services.api_token_create`` / ``api_token_revoke``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from initiativek.accounts import services as account_services

KEYWORDS = {"bearer", "token"}


class ApiTokenAuthentication(BaseAuthentication):
    """A request without an ``Authorization`` header of our kinds is anonymous (other
    authentication may apply); one with an unknown, revoked or malformed token, or of a
    deactivated person, is rejected with 401 – never silently treated as anonymous."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Der Authorization-Header muss „Bearer <Schlüssel>“ lauten.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ungültiger API-Schlüssel.")) from exc
        token = account_services.api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ungültiger oder widerrufener API-Schlüssel."))
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Persönlicher API-Schlüssel aus dem Profil („Mein Bereich → Profil“), "
                    "als „Authorization: Bearer <Schlüssel>“ (auch „Token <Schlüssel>“)."
                )
            ),
        }
