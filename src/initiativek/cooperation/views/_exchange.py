"""What every page of the cooperation exchange shares: members only, and how a refusal of a
service reaches the person."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions

GET_POST = require_http_methods(["GET", "POST"])


def members_only_message() -> str:
    return _(
        "Die Kooperationsbörse ist den Mitgliedsorganisationen der Initiative vorbehalten. "
        "Ist Ihre Organisation Mitglied, bitten Sie deren Administration um eine Einladung – "
        "oder beantragen Sie die Mitgliedschaft."
    )


def exchange_required(view):
    """Sign-in required; then members of the initiative and the team only."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_use_exchange(request.user):
            raise PermissionDenied(members_only_message())
        return view(request, *args, **kwargs)

    return wrapped


def service_error(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as an error message on the next page."""
    messages.error(request, " ".join(exc.messages))
