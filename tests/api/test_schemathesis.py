"""Property-based tests of the API against its own OpenAPI schema (schemathesis).

For every GET operation, generated requests (valid and invalid parameters) must never get a
5xx, and every answer must match the documented status codes, content types, headers and
response schemas – including the problem-details errors. Writes are sent with an editor's
token; the hooks below swap in, half of the time, slugs of objects that exist and that the
editor may change, so generated bodies also reach the services and the database instead of
ending as 404s. Runs against the test database through the WSGI app, a bounded number of
examples per operation.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from initiativek.core.models import Topic
from initiativek.organizations.constants import RegionLevel
from initiativek.wsgi import application
from tests.events.factories import EventFactory
from tests.organizations.factories import (
    ContactPersonFactory,
    OrganizationFactory,
    RegionFactory,
)
from tests.projects.factories import ProjectFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _data(db, settings):
    """Something to find, and no rate limit in the way of hundreds of requests."""
    settings.API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min"}
    kreis = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg")
    town = RegionFactory(key="08436064", name="Ravensburg", parent=kreis)
    organization = OrganizationFactory(name="Ravensburg", slug=OWNER, ags="08436064", region=town)
    ContactPersonFactory(organization=organization)
    Topic.objects.get_or_create(slug=TOPIC, defaults={"name": "API-Test"})
    ProjectFactory(owner=organization, slug=KNOWN_PATHS["/api/v1/projects/{slug}/"]["slug"])
    EventFactory(slug=KNOWN_PATHS["/api/v1/events/{slug}/"]["slug"], hosts=[organization])
    # As Django's test client does: the WSGI handler would otherwise close the test
    # transaction's connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OWNER = "ravensburg"
TOPIC = "api-test"
# Path parameters of objects created by ``_data``, per operation path.
KNOWN_PATHS = {
    "/api/v1/projects/{slug}/": {"slug": "api-projekt"},
    "/api/v1/events/{slug}/": {"slug": "api-veranstaltung"},
    "/api/v1/organizations/{slug}/": {"slug": OWNER},
    "/api/v1/regions/{key}/": {"key": "08436064"},
    "/api/v1/topics/{slug}/": {"slug": TOPIC},
}
# Body fields naming other objects, and values that exist.
KNOWN_REFERENCES = {"owner": OWNER, "host": OWNER, "hosts": [OWNER], "topics": [TOPIC]}

# Loaded when the module is collected (the schema needs no database). schemathesis' lazy
# fixture loader doesn't work with pytest 9 yet.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.hook
def flatmap_path_parameters(ctx, path_parameters):
    known = KNOWN_PATHS.get(ctx.operation.path) if ctx.operation else None
    if not known:
        return st.just(path_parameters)
    # The known value first: Hypothesis favours early elements.
    return st.sampled_from([{**(path_parameters or {}), **known}, path_parameters])


@schema.hook
def flatmap_body(ctx, body):
    if not isinstance(body, dict):
        return st.just(body)
    references = {key: value for key, value in KNOWN_REFERENCES.items() if key in body}
    if not references:
        return st.just(body)
    return st.sampled_from([{**body, **references}, body])


@schema.include(method="GET").parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_get_operations_conform_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)


class APIWorkflow(schema.as_state_machine()):
    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(response, checks=CHECKS)


def test_stateful_sequences_of_calls_conform_to_the_schema():
    """Chains of calls linked through the responses (schemathesis infers the links)."""
    APIWorkflow.run(
        settings=settings(
            max_examples=10,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


@pytest.fixture
def editor_token(db):
    """A personal token of an editor of the member organization created by ``_data``."""
    from initiativek.accounts import services as account_services
    from initiativek.organizations.models import Organization
    from tests.organizations.factories import MembershipFactory

    organization = Organization.objects.get(name="Ravensburg")
    editor = MembershipFactory(organization=organization, editor=True).user
    _token, raw = account_services.api_token_create(user=editor, name="Schemathesis")
    return raw


WRITE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@schema.include(method=["POST", "PATCH", "PUT", "DELETE"]).parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_write_operations_with_a_token_never_fail_with_a_server_error(case, editor_token):
    """Generated bodies (valid and invalid) sent with an editor's token: a clear 4xx or a
    documented success, never a 5xx."""
    case.call_and_validate(headers={"Authorization": f"Bearer {editor_token}"}, checks=WRITE_CHECKS)


@schema.include(method="GET").parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_get_operations_conform_for_a_signed_in_member(case, editor_token):
    """The members-only operations (recommendations, questionnaires) answered for real."""
    case.call_and_validate(headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS)
