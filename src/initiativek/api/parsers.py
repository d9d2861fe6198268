"""Request body parsing with a size limit: DRF parsers read the raw stream and so bypass
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` check."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .exceptions import PayloadTooLarge


def max_request_bytes() -> int:
    return settings.API_MAX_REQUEST_BYTES


class LimitedJSONParser(JSONParser):
    """JSON bodies up to ``settings.API_MAX_REQUEST_BYTES``; larger ones are a 413 problem,
    whether the client announced the length or not. Malformed JSON is DRF's 400 parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_request_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge()
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge()
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:  # "[[[[…]]]]" nested deeper than the decoder can go
            raise ParseError(_("Der JSON-Inhalt ist zu tief verschachtelt.")) from exc
