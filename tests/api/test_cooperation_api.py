"""/api/v1/recommendations/: the web page's suggestions, for members only."""

import pytest
from django.test import Client

from initiativek.organizations.constants import OrganizationKind
from tests.conftest import client_for
from tests.cooperation.test_recommendations_views import _fresh_index, world  # noqa: F401
from tests.organizations.factories import MembershipFactory, OrganizationFactory

# Until the composition includes this app's URLs, they are mounted here.
pytestmark = [pytest.mark.django_db]

URL = "/api/v1/recommendations/"


def _member(organization, **kwargs):
    return MembershipFactory(organization=organization, **kwargs).user


def _names(response):
    assert response.status_code == 200, response.content
    return [item["organization"]["name"] for item in response.json()["results"]]


def test_anonymous_clients_must_authenticate(world):  # noqa: F811
    response = Client().get(URL)
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_signed_in_non_members_get_403(world, user):  # noqa: F811
    assert client_for(user).get(URL).status_code == 403


def test_people_of_partner_companies_get_403(world):  # noqa: F811
    assert client_for(_member(world["partner"])).get(URL).status_code == 403


def test_members_get_ranked_suggestions_with_reasons_and_projects(world):  # noqa: F811
    response = client_for(_member(world["ravensburg"])).get(URL, {"organisation": "ravensburg"})

    names = _names(response)
    assert "Villingen-Schwenningen" in names and "Konstanz" in names
    assert "Ravensburg" not in names and "Beratung GmbH" not in names
    villingen = next(
        item
        for item in response.json()["results"]
        if item["organization"]["slug"] == "villingen-schwenningen"
    )
    assert villingen["score"] > 0
    implemented = next(r for r in villingen["reasons"] if r["code"] == "they_implemented")
    assert "Villingen-Schwenningen hat ‚Smart Parking‘ umgesetzt" in implemented["text"]
    assert "<a" not in implemented["text"]
    assert world["villingen"].projects.get().slug in implemented["projects"]


def test_members_cannot_ask_for_other_organizations(world):  # noqa: F811
    client = client_for(_member(world["ravensburg"]))
    assert client.get(URL, {"organisation": "konstanz"}).status_code == 404


def test_the_team_may_ask_for_any_member_organization(world, team_user):  # noqa: F811
    assert _names(client_for(team_user).get(URL, {"organisation": "ravensburg"}))


def test_the_team_without_organization_must_name_one(world, team_user):  # noqa: F811
    assert client_for(team_user).get(URL).status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"entfernung": "7"}, {"entfernung": "weit"}, {"art": "dorf"}, {"thema": "gibt-es-nicht"}],
)
def test_filter_values_of_the_wrong_kind_are_problems(world, params):  # noqa: F811
    response = client_for(_member(world["ravensburg"])).get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_kind_filter_keeps_that_kind(world):  # noqa: F811
    client = client_for(_member(world["ravensburg"]))
    assert _names(client.get(URL, {"art": OrganizationKind.STADT})) == ["Waiblingen"]


def test_list_needs_a_fixed_number_of_queries(world, django_assert_max_num_queries):  # noqa: F811
    for n in range(8):
        OrganizationFactory(name=f"Nachbar {n}")
    client = client_for(_member(world["ravensburg"]))
    client.get(URL)  # builds the index once
    with django_assert_max_num_queries(20):
        assert _names(client.get(URL))
