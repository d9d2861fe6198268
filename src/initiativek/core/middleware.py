import ipaddress

from django.conf import settings
from django.utils import translation


class ClientAddressMiddleware:
    """Behind reverse proxies, ``REMOTE_ADDR`` becomes the client's address.

    Every rate limit keys on ``REMOTE_ADDR`` (allauth's log-in throttling, guest registrations,
    the feedback form, the API's throttles). Behind a proxy that is the proxy's own address,
    so all visitors would share one limit – and ten failed log-ins by anyone would lock out
    everyone. With ``TRUSTED_PROXY_COUNT = n``, the address the outermost of the n trusted
    proxies saw – the n-th entry from the right of ``X-Forwarded-For`` – is used instead.
    Entries further left come from the client and can be forged, so they are never used; a
    request whose header is shorter than n did not pass all proxies and keeps its address.
    Must come first in ``MIDDLEWARE``. ``TRUSTED_PROXY_COUNT = 0`` (no proxy) changes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
        if count > 0:
            address = _forwarded_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), count)
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def _forwarded_address(header: str, count: int) -> str:
    """The valid IP address ``count`` entries from the right, or ``""``."""
    entries = [entry.strip() for entry in header.split(",")]
    if len(entries) < count:
        return ""
    entry = entries[-count]
    # Some proxies add the port: "203.0.113.7:51234", "[2001:db8::1]:443".
    if entry.startswith("[") and "]" in entry:
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return ""


class LanguageMiddleware:
    """German first: German unless the visitor chose another language with the switch
    (stored in the language cookie). The browser's Accept-Language is deliberately ignored so
    that every visitor sees the same, German, platform by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class NulCharacterMiddleware:
    """Refuse query strings with NUL characters (400). No real input contains them, and
    PostgreSQL can't compare text with them: a filter like ``?gastgeber=%00`` would otherwise
    end in a server error there. Forms refuse them already (Django's
    ProhibitNullCharactersValidator); under ``/api/`` the answer is a problem document."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            return _bad_request(request)
        return self.get_response(request)


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


def _bad_request(request):
    from django.http import HttpResponseBadRequest, JsonResponse
    from django.utils.translation import gettext as _

    detail = _("Die Adresse enthält ungültige Steuerzeichen.")
    if request.path.startswith("/api/"):
        # The same shape as initiativek.api.exceptions.problem_body (not imported here: the
        # API's modules load DRF settings, which would be circular during start-up).
        body = {
            "type": "urn:initiativek:problem:invalid",
            "title": _("Die Anfrage ist ungültig."),
            "status": 400,
            "detail": detail,
            "instance": request.path,
        }
        return JsonResponse(body, status=400, content_type="application/problem+json")
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
