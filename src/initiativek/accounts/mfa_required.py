"""Two-factor authentication for the people who can change most (SPEC §9): the initiative
team and organization admins must have an authenticator app (TOTP) set up.

``MfaRequiredMiddleware`` sends such a person, while they have none, to allauth's set-up page
before anything else – only signing out, the account pages themselves and the legal pages stay
reachable. ``MfaAdapter`` keeps them from removing their last authenticator. At sign-in,
allauth then asks for the code. Switched by ``MFA_REQUIRED`` (on in production; off in the
demo, whose logins must work without an app, and in tests, which switch it on where they
test it).
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from initiativek.organizations.constants import Role

# Paths a person without the required second factor may still open.
ALLOWED_PREFIXES = (
    "/konto/",  # sign-in, sign-out, password, e-mail and the 2FA set-up itself
    "/i18n/",
    "/static/",
    "/media/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/healthz",
)
API_PREFIX = "/api/"


def mfa_required_for(user) -> bool:
    """The team, site admins and admins of an organization must use a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(role=Role.ADMIN).exists()


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not self._token_request(request)
            and mfa_required_for(request.user)
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            if request.path.startswith(API_PREFIX):  # the API with the browser's session
                # Imported here: the API package loads REST framework, which needs settings.
                from initiativek.api.exceptions import PROBLEM_CONTENT_TYPE, problem_body

                return JsonResponse(
                    problem_body(
                        status_code=403,
                        code="mfa_required",
                        detail=_(
                            "Richten Sie zuerst die Zwei-Faktor-Anmeldung ein oder verwenden "
                            "Sie einen API-Schlüssel."
                        ),
                        instance=request.path,
                    ),
                    status=403,
                    content_type=PROBLEM_CONTENT_TYPE,
                )
            messages.warning(
                request,
                _(
                    "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben, weil Sie "
                    "Organisationen oder die Plattform verwalten. Richten Sie bitte zuerst eine "
                    "Authenticator-App ein."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _token_request(request) -> bool:
        """API requests with a personal token: tokens are only created in the profile, which
        is behind this check, so whoever holds one passed it."""
        return request.path.startswith(API_PREFIX) and "HTTP_AUTHORIZATION" in request.META


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever must use a second factor keeps their authenticator app (recovery codes
        alone are not a second factor for everyday sign-ins)."""
        if (
            settings.MFA_REQUIRED
            and authenticator.type == Authenticator.Type.TOTP
            and mfa_required_for(authenticator.user)
        ):
            return False
        return super().can_delete_authenticator(authenticator)
