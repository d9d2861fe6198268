"""Conditional requests for detail resources: an ``ETag`` over the serialized body, a 304 when
the client's ``If-None-Match`` matches, and a 412 when a write's ``If-Match`` no longer does
(someone changed the resource since the client read it: no lost updates).

The tag is computed from what this viewer gets (contact details differ between members and
the public), so ``Vary: Authorization, Cookie, Accept-Language`` is set alongside.
"""

import hashlib
import json

from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import PreconditionFailed


def etag_for(data) -> str:
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def etag_matches(etag: str, if_none_match: str) -> bool:
    """Weak comparison as RFC 9110 §13.1.2 asks for If-None-Match; ``*`` matches anything."""
    tags = parse_etags(if_none_match)
    if "*" in tags:
        return True
    plain = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == plain for tag in tags)


def if_match_check(request, current_etag: str) -> None:
    """Raise 412 if the request carries ``If-Match`` and none of its tags is the current one.

    Strong comparison (RFC 9110 §13.1.1): weak tags never match. Call it while the resource's
    row is locked, in the transaction that writes, so nobody can change it in between."""
    header = request.headers.get("If-Match", "")
    if not header:
        return
    tags = parse_etags(header)
    if "*" in tags:
        return
    if current_etag not in [tag for tag in tags if not tag.startswith("W/")]:
        raise PreconditionFailed


def with_etag(response: Response) -> Response:
    """Add the ``ETag`` of ``response.data`` (after a write: the new state's tag)."""
    response["ETag"] = etag_for(response.data)
    patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
    return response


class ETagMixin:
    """For ``RetrieveAPIView``/``RetrieveModelMixin`` views: ``retrieve`` answers with an
    ``ETag`` header, or with an empty 304 if ``If-None-Match`` matches it. The schema
    (``api.schema.ProblemAutoSchema``) documents the header and the 304 for such views."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = etag_for(data)
        if_none_match = request.headers.get("If-None-Match", "")
        if if_none_match and etag_matches(etag, if_none_match):
            response = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        else:
            response = Response(data, headers={"ETag": etag})
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        return response
