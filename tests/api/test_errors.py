"""The error format and limits, on every kind of failure – never a 5xx."""

import pytest
from django.test import override_settings
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from initiativek.api.exceptions import validation_errors
from tests.api.conftest import assert_problem, token_client

LIST = "/api/v1/organizations/"


class EchoView(APIView):
    """A write endpoint exercising the global parser and error settings."""

    permission_classes = [AllowAny]
    throttle_classes = []

    def post(self, request):
        return Response({"received": request.data})


class SignedInEchoView(EchoView):
    permission_classes = [IsAuthenticated]


def _post(body: bytes, content_type: str = "application/json", view=EchoView):
    request = APIRequestFactory().post("/api/v1/echo/", body, content_type=content_type)
    response = view.as_view()(request)
    response.render()
    return response


def test_malformed_json_is_a_400_problem(db):
    body = assert_problem(_post(b'{"name": '), 400)
    assert body["type"] == "urn:initiativek:problem:parse_error"


def test_unsupported_media_type_is_a_415_problem(db):
    assert_problem(_post(b"name=x", "application/x-www-form-urlencoded"), 415)


@override_settings(API_MAX_REQUEST_BYTES=100)
def test_huge_payload_is_a_413_problem(db):
    assert_problem(_post(b'{"text": "' + b"x" * 500 + b'"}'), 413)
    assert _post(b'{"text": "kurz"}').status_code == 200


def test_validation_errors_point_at_each_field():
    errors = validation_errors({"name": ["Pflicht."], "items": [{}, {"a/b": ["falsch"]}]})
    assert errors[0] == {"pointer": "#/name", "detail": "Pflicht.", "code": "invalid"}
    assert errors[1]["pointer"] == "#/items/1/a~1b"
    assert validation_errors({"non_field_errors": ["x"]})[0]["pointer"] == "#"


def test_unknown_api_path_is_a_404_problem(api_client, db):
    assert_problem(api_client.get("/api/v1/gibt-es-nicht/"), 404)
    assert_problem(api_client.delete("/api/irgendwas"), 404)


def test_method_not_allowed_is_a_405_problem(user):
    assert_problem(token_client(user).delete(LIST), 405)


def test_anonymous_write_is_a_401_problem(db):
    body = assert_problem(_post(b"{}", view=SignedInEchoView), 401)
    assert body["type"] == "urn:initiativek:problem:not_authenticated"


def test_unsupported_accept_is_a_406_problem(api_client, db):
    assert_problem(api_client.get(LIST, HTTP_ACCEPT="application/xml"), 406)


@override_settings(API_THROTTLE_RATES={"anon": "2/min", "user": "3/min"})
def test_anonymous_clients_are_rate_limited(api_client, db):
    assert api_client.get(LIST).status_code == 200
    assert api_client.get(LIST).status_code == 200
    response = api_client.get(LIST)
    body = assert_problem(response, 429)
    assert body["type"] == "urn:initiativek:problem:throttled"
    assert int(response["Retry-After"]) > 0


@override_settings(API_THROTTLE_RATES={"anon": "1/min", "user": "3/min"})
def test_signed_in_clients_have_their_own_rate(user):
    client = token_client(user)
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("params", [{"seite": "abc"}, {"seite": "0"}, {"pro_seite": "-1"}])
def test_odd_pagination_values_never_fail_with_5xx(api_client, db, params):
    assert api_client.get(LIST, params).status_code < 500


def test_paths_with_control_characters_are_404_problems(api_client, db):
    assert_problem(api_client.get("/api/v1/organizations/a%0Ab/"), 404)
