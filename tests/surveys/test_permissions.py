"""One permission matrix over every page of the experience exchange and every role."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from initiativek.organizations.constants import OrganizationKind
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import QuestionFactory, QuestionnaireFactory, ResponseFactory

ROLES = ["anonymous", "outsider", "partner", "member", "editor", "other_editor", "team"]

# url name → expected status per role, in ROLES order. 302 = sent to the login page.
MATRIX = {
    "list": [200, 200, 200, 200, 200, 200, 200],
    "detail": [302, 404, 404, 200, 200, 200, 200],
    "answer": [302, 404, 404, 200, 200, 403, 200],
    "response-history": [302, 404, 404, 200, 200, 404, 200],
    "results": [302, 403, 403, 200, 200, 200, 200],
    "preview": [302, 403, 403, 403, 403, 403, 200],
    "progress": [302, 404, 404, 403, 403, 403, 200],
    "remind": [302, 404, 404, 403, 403, 403, 200],
    "export": [302, 404, 404, 403, 403, 403, 200],
    "create": [302, 403, 403, 403, 403, 403, 200],
    "edit": [302, 403, 403, 403, 403, 403, 200],
    "publish": [302, 403, 403, 403, 403, 403, 200],
    "close": [302, 403, 403, 403, 403, 403, 200],
    "copy": [302, 403, 403, 403, 403, 403, 200],
    "delete": [302, 403, 403, 403, 403, 403, 200],
    "section-create": [302, 403, 403, 403, 403, 403, 200],
    "section-edit": [302, 403, 403, 403, 403, 403, 200],
    "section-delete": [302, 403, 403, 403, 403, 403, 200],
    "question-create": [302, 403, 403, 403, 403, 403, 200],
    "question-edit": [302, 403, 403, 403, 403, 403, 200],
    "question-delete": [302, 403, 403, 403, 403, 403, 200],
}
POST_ONLY = {"response-reopen", "question-retire", "question-move"}


@pytest.fixture
def world(db):
    town = OrganizationFactory(slug="ravensburg", name="Ravensburg")
    other = OrganizationFactory(slug="konstanz", name="Konstanz")
    partner = OrganizationFactory(slug="ncp", name="NCP", kind=OrganizationKind.PARTNER)
    users = {
        "outsider": UserFactory(),
        "partner": MembershipFactory(organization=partner, editor=True).user,
        "member": MembershipFactory(organization=town).user,
        "editor": MembershipFactory(organization=town, editor=True).user,
        "other_editor": MembershipFactory(organization=other, editor=True).user,
        "team": UserFactory(is_staff=True),
    }
    questionnaire = QuestionnaireFactory(slug="homeoffice")
    question = QuestionFactory(questionnaire=questionnaire, kind="text")
    ResponseFactory(questionnaire=questionnaire, organization=town)
    return questionnaire, question, town, users


def _url(name, questionnaire, question, town):
    kwargs = {"slug": questionnaire.slug}
    if name == "list" or name == "create":
        kwargs = {}
    elif name in {"answer", "response-history", "response-reopen"}:
        kwargs["org_slug"] = town.slug
    elif name == "export":
        kwargs["fmt"] = "csv"
    elif name.startswith("question-") and name != "question-create":
        kwargs["pk"] = question.pk
    elif name in {"section-edit", "section-delete"}:
        kwargs["pk"] = question.section_id
    return reverse(f"surveys:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_url_of_the_app():
    names = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "app_name", None) == "surveys"
        for pattern in pattern.url_patterns
    }
    assert names == set(MATRIX) | POST_ONLY


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, name, role):
    questionnaire, question, town, users = world
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(_url(name, questionnaire, question, town))
    expected = MATRIX[name][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name}"
    if expected == 302:
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize("role", ["outsider", "partner", "member", "other_editor"])
def test_post_only_actions_are_refused_for_others(world, name, role):
    questionnaire, question, town, users = world
    client = Client()
    client.force_login(users[role])
    data = {"direction": "up", "retired": "1"}
    response = client.post(_url(name, questionnaire, question, town), data)
    assert response.status_code in (403, 404), f"{role} on {name}"
    question.refresh_from_db()
    assert not question.is_retired


@pytest.mark.parametrize(
    "path",
    [
        "/erfahrungsaustausch/homeoffice/fragen/neu/?abschnitt=²",
        "/erfahrungsaustausch/homeoffice/fragen/neu/?abschnitt=99999999999999999999",
        "/erfahrungsaustausch/homeoffice/fortschritt/erinnern/?auswahl=1&organisation=²",
        "/erfahrungsaustausch/homeoffice/fortschritt/erinnern/?auswahl=1&organisation=99999999999999999999",
    ],
)
def test_odd_ids_in_team_pages_never_cause_a_server_error(world, path):
    _questionnaire, _question, _town, users = world
    client = Client()
    client.force_login(users["team"])
    assert client.get(path).status_code < 500
    assert client.post(path, {"auswahl": "1", "organisation": "²"}).status_code < 500
