"""OpenAPI documentation of the API's shared behaviour.

``ProblemAutoSchema`` (the ``DEFAULT_SCHEMA_CLASS``) adds to every operation the
problem-details error responses it can give (400, 401, 403, 404, 406, 429; 413 and 415 for
operations with a body), ``Retry-After`` on 429, and for ``ETagMixin`` detail views the
``If-None-Match`` header, ``ETag`` and 304 on reads, ``If-Match``, ``ETag`` and 412 on their
PATCH. ``PROBLEM_RESPONSES`` is the same set for explicit
use in ``extend_schema(responses={200: X, **PROBLEM_RESPONSES})``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .conditional import ETagMixin
from .exceptions import PROBLEM_CONTENT_TYPE


class ProblemErrorSerializer(serializers.Serializer):
    pointer = serializers.CharField(help_text="JSON-Pointer auf das fehlerhafte Feld, z. B. #/name")
    detail = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="urn:initiativek:problem:<code>, z. B. …:not_found")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text="Pfad der Anfrage")
    errors = ProblemErrorSerializer(
        many=True, required=False, help_text="Nur bei 400: jede ungültige Eingabe einzeln."
    )

    class Meta:
        ref_name = "Problem"


ERROR_DESCRIPTIONS = {
    400: "Ungültige Eingabe oder ungültiger Filterwert (mit „errors“).",
    401: "Ungültiger, widerrufener oder fehlender API-Schlüssel.",
    403: "Keine Berechtigung für diese Aktion.",
    404: "Nicht gefunden (auch: Seite außerhalb der Liste).",
    406: "Angefordertes Antwortformat wird nicht angeboten.",
    412: "„If-Match“ passt nicht mehr: die Ressource wurde inzwischen geändert.",
    413: "Inhalt der Anfrage zu groß.",
    415: "Datenformat der Anfrage wird nicht unterstützt.",
    429: "Zu viele Anfragen; „Retry-After“ nennt die Wartezeit in Sekunden.",
}
READ_ERRORS = (400, 401, 403, 404, 406, 429)
WRITE_ERRORS = (413, 415)


def problem_response(status_code: int) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=ERROR_DESCRIPTIONS[status_code])


PROBLEM_RESPONSES = {
    (code, PROBLEM_CONTENT_TYPE): problem_response(code) for code in ERROR_DESCRIPTIONS
}

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Sekunden bis zur nächsten erlaubten Anfrage.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="ETag einer früheren Antwort; passt er, kommt 304 ohne Inhalt.",
)
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304])
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "ETag der Fassung, von der die Änderung ausgeht; hat sich die Ressource seitdem "
        "geändert, kommt 412 und nichts wird gespeichert."
    ),
)
ETAG_AFTER_WRITE = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200]
)


class ProblemAutoSchema(AutoSchema):
    def _is_conditional(self) -> bool:
        return (
            isinstance(self.view, ETagMixin) and self.method == "GET" and not self._is_list_view()
        )

    def _is_conditional_write(self) -> bool:
        return isinstance(self.view, ETagMixin) and self.method == "PATCH"

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        parameters.append(RETRY_AFTER)
        if self._is_conditional():
            parameters.extend([IF_NONE_MATCH, ETAG])
        if self._is_conditional_write():
            parameters.extend([IF_MATCH, ETAG_AFTER_WRITE])
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = list(READ_ERRORS)
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.extend(WRITE_ERRORS)
        if self._is_conditional_write():
            codes.append(412)
        for code in codes:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    problem_response(code), str(code), [PROBLEM_CONTENT_TYPE], direction
                )
        if self._is_conditional() and "304" not in responses:
            responses["304"] = self._get_response_for_code(None, "304", None, direction)
            responses["304"]["description"] = "Unverändert seit dem angegebenen ETag."
        return responses
