"""/api/v1/questionnaires/: questionnaires and their results, for members only, with the
web page's threshold and suppression."""

import pytest
from django.test import Client

from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys.api.serializers import ResultsSerializer
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import QuestionnaireFactory
from tests.surveys.test_results import build_survey

# Until the composition includes this app's URLs, they are mounted here.
pytestmark = [pytest.mark.django_db]

LIST = "/api/v1/questionnaires/"


@pytest.fixture
def survey(db):
    return build_survey()


def _results(slug):
    return f"{LIST}{slug}/results/"


def _member_of(organization, **kwargs):
    return client_for(MembershipFactory(organization=organization, **kwargs).user)


def test_anonymous_clients_must_authenticate(survey):
    response = Client().get(_results("ho"))
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_signed_in_non_members_get_403(user, survey):
    assert client_for(user).get(LIST).status_code == 403
    assert client_for(user).get(_results("ho")).status_code == 403


def test_people_of_partner_companies_get_403(survey):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    assert _member_of(partner).get(_results("ho")).status_code == 403


def test_members_see_published_questionnaires_only(survey):
    QuestionnaireFactory(draft=True, slug="entwurf")

    response = _member_of(OrganizationFactory()).get(LIST)

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == ["ho"]


def test_drafts_are_404_for_members_and_open_to_the_team(team_user, db):
    QuestionnaireFactory(draft=True, slug="entwurf")

    assert _member_of(OrganizationFactory()).get(_results("entwurf")).status_code == 404
    assert client_for(team_user).get(_results("entwurf")).status_code == 200


def test_members_get_the_results_of_the_web_page(survey):
    response = _member_of(survey.orgs["aach"]).get(_results("ho"))

    assert response.status_code == 200
    data = response.json()
    shape = ResultsSerializer(data=data)
    assert shape.is_valid(), shape.errors
    assert data["total"] == 4
    assert data["organization"] == "aach"
    questions = {q["key"]: q for section in data["sections"] for q in section["questions"]}
    single = questions["zugang"]
    assert not single["hidden"]
    assert {row["label"]: row["count"] for row in single["rows"]}["VPN"] >= 1
    assert any(row["is_own"] for row in single["rows"])


def test_below_the_threshold_nothing_is_shown(survey, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 10

    data = _member_of(OrganizationFactory()).get(_results("ho")).json()

    assert data["enough"] is False
    assert data["sections"] == []
    assert data["groups"] == []


def test_small_groups_are_named_but_hidden(survey):
    """Bezirk 081 has a single response: asking for it shows no figures."""
    data = _member_of(OrganizationFactory()).get(_results("ho"), {"gruppe": "bezirk-081"}).json()

    assert data["group_hidden"] is True
    assert "bezirk-081" not in [group["key"] for group in data["groups"]]
    questions = [q for section in data["sections"] for q in section["questions"]]
    assert all(q["hidden"] for q in questions)
    assert all(q["rows"] == [] for q in questions)


@pytest.mark.parametrize(
    "params", [{"gruppe": "gibt-es-nicht"}, {"organisation": "cstadt"}, {"organisation": "!"}]
)
def test_unknown_group_or_foreign_organization_is_a_problem(survey, params):
    response = _member_of(survey.orgs["aach"]).get(_results("ho"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_results_need_a_bounded_number_of_queries(survey, django_assert_max_num_queries):
    client = _member_of(survey.orgs["aach"])
    client.get(_results("ho"))  # fills the cached aggregate
    with django_assert_max_num_queries(15):
        assert client.get(_results("ho")).status_code == 200
