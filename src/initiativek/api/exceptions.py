"""Every API error as an RFC 9457 problem details document (``application/problem+json``).

``type`` is ``urn:initiativek:problem:<code>`` with DRF's error code (``not_found``,
``invalid``, ``throttled`` …), ``title`` a short German summary, ``status`` the HTTP status,
``detail`` the specific explanation, ``instance`` the request path. Validation errors add
``errors``: one entry per message with a JSON pointer (``#/field/0/name``) to the input.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:initiativek:problem:"

TITLES = {
    400: _("Die Anfrage ist ungültig."),
    401: _("Anmeldung erforderlich."),
    403: _("Keine Berechtigung."),
    404: _("Nicht gefunden."),
    405: _("Methode nicht erlaubt."),
    406: _("Dieses Antwortformat wird nicht angeboten."),
    412: _("Die Ressource wurde inzwischen geändert."),
    413: _("Die Anfrage ist zu groß."),
    415: _("Dieses Datenformat wird nicht unterstützt."),
    429: _("Zu viele Anfragen."),
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Der Inhalt der Anfrage ist zu groß.")
    default_code = "payload_too_large"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Die Ressource wurde inzwischen geändert (der ETag in „If-Match“ passt nicht mehr). "
        "Lesen Sie sie neu und wenden Sie Ihre Änderung auf die aktuelle Fassung an."
    )
    default_code = "precondition_failed"


def _pointer(path: list[str | int]) -> str:
    escaped = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "#/" + "/".join(escaped) if escaped else "#"


def validation_errors(detail: Any, path: list[str | int] | None = None) -> list[dict[str, str]]:
    """DRF's nested error structure flattened to ``{"pointer", "detail", "code"}`` entries.

    Errors not tied to a field (``non_field_errors``) point at the whole document (``#``).
    """
    path = path or []
    if isinstance(detail, dict):
        entries = []
        for key, value in detail.items():
            sub = path if key in {"non_field_errors", "__all__"} else [*path, key]
            entries.extend(validation_errors(value, sub))
        return entries
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [_entry(item, path) for item in detail]
        entries = []
        for index, item in enumerate(detail):
            entries.extend(validation_errors(item, [*path, index]))
        return entries
    return [_entry(detail, path)]


def _entry(message: Any, path: list[str | int]) -> dict[str, str]:
    return {
        "pointer": _pointer(path),
        "detail": str(message),
        "code": getattr(message, "code", "invalid") or "invalid",
    }


def problem_body(*, status_code: int, code: str, detail: str, instance: str) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": str(TITLES.get(status_code, _("Fehler"))),
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        message = str(exc)
        return exceptions.PermissionDenied(message or None)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    return exc


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: DRF's own handling (headers such as ``Retry-After`` and
    ``WWW-Authenticate``) with the body replaced by a problem document. Anything DRF doesn't
    handle stays unhandled (a real server error)."""
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        body = problem_body(
            status_code=response.status_code,
            code="invalid",
            detail=str(_("Die Eingaben sind ungültig; siehe „errors“.")),
            instance=instance,
        )
        body["errors"] = validation_errors(exc.detail)
    else:
        codes = exc.get_codes()
        body = problem_body(
            status_code=response.status_code,
            code=codes if isinstance(codes, str) else exc.default_code,
            detail=str(exc.detail),
            instance=instance,
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
