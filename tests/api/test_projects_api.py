"""/api/v1/projects/: who reads what, the catalog's filters, writes through the services."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from initiativek.accounts import services as account_services
from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind
from initiativek.projects.models import Project
from tests.api.conftest import assert_problem
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.django_db]

LIST = "/api/v1/projects/"


@pytest.fixture
def world():
    town = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    other = OrganizationFactory(name="Konstanz", slug="konstanz")
    return {
        "town": town,
        "other": other,
        "public": ProjectFactory(owner=town, title="Parkleitsystem", slug="park"),
        "members": ProjectFactory(owner=town, members_only=True, slug="intern"),
        "draft": ProjectFactory(owner=town, draft=True, slug="entwurf"),
        "foreign": ProjectFactory(owner=other, slug="fremd"),
        "foreign_draft": ProjectFactory(owner=other, draft=True, slug="fremd-entwurf"),
    }


def _slugs(response):
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def _role_client(role, world, team_user):
    if role == "anonymous":
        return Client()
    if role == "team":
        return client_for(team_user)
    if role == "member":
        return client_for(MembershipFactory(organization=world["town"]).user)
    if role == "editor_owner":
        return client_for(MembershipFactory(organization=world["town"], editor=True).user)
    return client_for(MembershipFactory(organization=world["other"], editor=True).user)


def _token_client(user):
    _token, raw = account_services.api_token_create(user=user, name="Test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", {"park", "fremd"}),
        ("member", {"park", "intern", "fremd"}),
        ("editor_owner", {"park", "intern", "fremd"}),
        ("editor_other", {"park", "intern", "fremd"}),
        ("team", {"park", "intern", "fremd"}),
    ],
)
def test_the_list_shows_published_projects_the_role_may_see(world, team_user, role, expected):
    assert _slugs(_role_client(role, world, team_user).get(LIST)) == expected


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", {"park", "fremd"}),
        ("member", {"park", "intern", "entwurf", "fremd"}),
        ("editor_owner", {"park", "intern", "entwurf", "fremd"}),
        ("editor_other", {"park", "intern", "fremd", "fremd-entwurf"}),
        ("team", {"park", "intern", "entwurf", "fremd", "fremd-entwurf"}),
    ],
)
def test_detail_is_404_for_what_the_role_may_not_see(world, team_user, role, visible):
    client = _role_client(role, world, team_user)
    for slug in ("park", "intern", "entwurf", "fremd", "fremd-entwurf"):
        response = client.get(f"{LIST}{slug}/")
        assert response.status_code == (200 if slug in visible else 404), slug
        if slug not in visible:
            assert response["Content-Type"] == "application/problem+json"


def test_token_of_a_member_shows_members_only_projects(world):
    user = MembershipFactory(organization=world["other"]).user
    assert "intern" in _slugs(_token_client(user).get(LIST))


def test_detail_has_topics_goals_tags_owner_partners_and_links(world):
    topic = Topic.objects.get(slug="schulen")
    project = ProjectFactory(owner=world["town"], slug="tablets", topics=[topic], goals=[2])
    project.partners.add(world["other"])
    project.links.create(title="Bericht", url="https://example.org/bericht")

    data = Client().get(f"{LIST}tablets/").json()

    assert data["topics"] == ["schulen"]
    assert data["goals"] == [2]
    assert data["owner"] == {"slug": "ravensburg", "name": "Ravensburg"}
    assert data["partners"] == [{"slug": "konstanz", "name": "Konstanz"}]
    assert data["links"] == [{"title": "Bericht", "url": "https://example.org/bericht"}]
    assert data["status"] == "geplant"
    assert "contact" not in data


def test_detail_answers_304_when_the_etag_still_matches(world):
    first = Client().get(f"{LIST}park/")
    etag = first["ETag"]

    again = Client().get(f"{LIST}park/", HTTP_IF_NONE_MATCH=etag)
    Project.objects.filter(slug="park").update(title="Neuer Titel")
    changed = Client().get(f"{LIST}park/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert changed.status_code == 200


# --- filters ------------------------------------------------------------------------------


def test_filters_and_search_work_as_in_the_catalog(world):
    topic = Topic.objects.get(slug="schulen")
    ProjectFactory(owner=world["other"], slug="schule", topics=[topic], status="umgesetzt")
    client = Client()

    assert _slugs(client.get(LIST, {"thema": "schulen"})) == {"schule"}
    assert _slugs(client.get(LIST, {"stand": "umgesetzt"})) == {"schule"}
    assert _slugs(client.get(LIST, {"art": OrganizationKind.LANDKREIS})) == set()


def test_titles_sort_stably(world):
    response = Client().get(LIST, {"sortierung": "titel"})
    titles = [item["title"] for item in response.json()["results"]]
    assert titles == sorted(titles, key=str.lower)


@pytest.mark.parametrize(
    "params",
    [
        {"ziel": "abc"},
        {"ziel": "99"},
        {"stand": "fertig"},
        {"thema": "gibt-es-nicht"},
        {"sortierung": "zufall"},
        {"nachnutzung": "vielleicht"},
        {"regierungsbezirk": "999"},
        {"seite": "x"},
    ],
)
def test_filter_values_of_the_wrong_kind_are_a_problem_not_ignored(world, params):
    response = Client().get(LIST, params)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_list_needs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _n in range(10):
        project = ProjectFactory(owner=world["other"], goals=[1, 2])
        project.topics.set(Topic.objects.all()[:2])
    with django_assert_max_num_queries(8):
        assert len(_slugs(Client().get(LIST))) == 12


# --- writing ------------------------------------------------------------------------------

NEW = {"owner": "ravensburg", "title": "Digitale Bauakte", "summary": "Bauanträge online."}


def _post(client, data, url=LIST):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, slug, data):
    return client.patch(f"{LIST}{slug}/", json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("editor_owner", 201),
        ("editor_other", 403),
        ("team", 201),
    ],
)
def test_only_editors_of_the_owner_and_the_team_create_projects(world, team_user, role, status):
    response = _post(_role_client(role, world, team_user), NEW)

    assert response.status_code in ({401, 403} if status == 401 else {status})
    assert Project.objects.filter(title="Digitale Bauakte").exists() == (status == 201)


def test_created_project_is_a_draft_with_its_relations(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user
    data = {
        **NEW,
        "topics": ["schulen"],
        "goals": [1, 3],
        "technologies": ["Open Data"],
        "partners": ["konstanz"],
        "links": [{"title": "Info", "url": "https://example.org/"}],
        "start_month": "2024-05",
    }

    response = _post(_token_client(editor), data)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publication"] == "entwurf"
    assert body["goals"] == [1, 3]
    assert body["technologies"] == ["Open Data"]
    assert body["partners"] == [{"slug": "konstanz", "name": "Konstanz"}]
    assert body["start_month"] == "2024-05"
    assert response["Location"].endswith(f"{LIST}{body['slug']}/")
    project = Project.objects.get(slug=body["slug"])
    assert project.versions.count() == 1  # recorded by the service


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("editor_owner", 200),
        ("editor_other", 403),
        ("team", 200),
    ],
)
def test_only_editors_of_the_owner_and_the_team_change_projects(world, team_user, role, status):
    response = _patch(_role_client(role, world, team_user), "park", {"title": "Geändert"})

    assert response.status_code in ({401, 403} if status == 401 else {status})
    changed = Project.objects.get(slug="park").title == "Geändert"
    assert changed == (status == 200)


def test_drafts_of_other_organizations_are_404_for_writes(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user
    assert _patch(client_for(editor), "fremd-entwurf", {"title": "x"}).status_code == 404


def test_unknown_fields_are_rejected_not_ignored(world):
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)

    response = _patch(editor, "park", {"title": "Neu", "titel": "Tippfehler"})

    assert response.status_code == 400
    assert {"pointer": "#/titel", "code": "invalid"}.items() <= response.json()["errors"][0].items()
    assert Project.objects.get(slug="park").title == "Parkleitsystem"


def test_the_owner_cannot_be_changed(world):
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)
    assert _patch(editor, "park", {"owner": "konstanz"}).status_code == 400


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"title": ""}, "#/title"),
        ({"title": 5 * "x" * 100}, "#/title"),
        ({"status": "fertig"}, "#/status"),
        ({"goals": ["eins"]}, "#/goals/0"),
        ({"topics": "schulen"}, "#/topics"),
        ({"start_month": "2024-13"}, "#/start_month"),
        ({"start_month": "2024-05", "end_month": "2023-01"}, "#/end_month"),
        ({"links": [{"title": "x", "url": "kein link"}]}, "#/links/0/url"),
        ({"reuse_offered": "vielleicht"}, "#/reuse_offered"),
    ],
)
def test_invalid_values_are_400_problems_pointing_at_the_field(world, data, pointer):
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)

    response = _patch(editor, "park", data)

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.json()["errors"]]


def test_malformed_json_is_a_400_problem(world):
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)

    response = editor.post(LIST, '{"title": ', content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_json_list_instead_of_an_object_is_a_400_problem(world):
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)
    assert _post(editor, [NEW]).status_code == 400


def test_a_failing_save_writes_nothing(world):
    """The model's own check (end before start) fails after the links were validated: the
    service's transaction leaves the project exactly as it was."""
    editor = client_for(MembershipFactory(organization=world["town"], editor=True).user)
    _patch(editor, "park", {"start_month": "2024-05"})

    response = _patch(
        editor,
        "park",
        {
            "title": "Teilweise",
            "end_month": "2023-01",
            "links": [{"title": "x", "url": "https://e.de"}],
        },
    )

    assert response.status_code == 400
    project = Project.objects.get(slug="park")
    assert project.title == "Parkleitsystem"
    assert not project.links.exists()


def test_json_nested_too_deep_is_a_400_problem_not_a_server_error(db):
    from tests.accounts.factories import UserFactory
    from tests.api.conftest import assert_problem, token_client

    client = token_client(UserFactory())
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/projects/", body, content_type="application/json")
    assert_problem(response, 400)


def test_unpublished_event_report_stays_out_of_the_api(db):
    from django.utils import timezone

    from tests.events.factories import EventFactory

    event = EventFactory(slug="treffen", report="Geheimer Entwurf des Berichts")
    assert "Geheimer Entwurf" not in APIClient().get("/api/v1/events/treffen/").content.decode()
    event.report_published_at = timezone.now()
    event.save()
    assert "Geheimer Entwurf" in APIClient().get("/api/v1/events/treffen/").content.decode()


def test_a_forged_forwarded_for_header_does_not_reset_the_anonymous_limit(db, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "600/min"}
    client = APIClient()
    statuses = [
        client.get("/api/v1/goals/", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(5)
    ]
    assert statuses[-1] == 429


# --- publication and conditional writes -------------------------------------------------


def test_an_editor_publishes_a_draft_and_it_enters_the_catalog(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user

    response = _patch(_token_client(editor), "entwurf", {"publication": "veroeffentlicht"})

    assert response.status_code == 200, response.content
    project = Project.objects.get(slug="entwurf")
    assert project.publication == "veroeffentlicht"
    assert project.published_at is not None
    assert [v.action for v in project.versions.all()][:1] == ["published"]
    assert "entwurf" in _slugs(APIClient().get(LIST))


def test_a_project_is_created_and_published_in_one_request(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user

    response = _post(_token_client(editor), {**NEW, "publication": "veroeffentlicht"})

    assert response.status_code == 201, response.content
    assert response.json()["publication"] == "veroeffentlicht"
    assert response.json()["slug"] in _slugs(APIClient().get(LIST))


def test_a_member_cannot_publish(world):
    member = MembershipFactory(organization=world["town"]).user

    response = _patch(_token_client(member), "entwurf", {"publication": "veroeffentlicht"})

    assert response.status_code == 403
    assert Project.objects.get(slug="entwurf").publication == "entwurf"


def test_an_unknown_publication_state_is_a_400_problem(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user

    response = _patch(_token_client(editor), "park", {"publication": "geheim"})

    body = assert_problem(response, 400)
    assert body["errors"][0]["pointer"] == "#/publication"


def _patch_if_match(client, slug, data, etag):
    return client.patch(
        f"{LIST}{slug}/", json.dumps(data), content_type="application/json", HTTP_IF_MATCH=etag
    )


def test_a_write_with_the_current_etag_is_saved_and_returns_the_new_one(world):
    client = _token_client(MembershipFactory(organization=world["town"], editor=True).user)
    etag = client.get(f"{LIST}park/")["ETag"]

    response = _patch_if_match(client, "park", {"title": "Neu"}, etag)

    assert response.status_code == 200, response.content
    assert response["ETag"] and response["ETag"] != etag
    assert response["ETag"] == client.get(f"{LIST}park/")["ETag"]


def test_a_write_based_on_a_stale_etag_is_refused_with_412_and_changes_nothing(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user
    first, second = _token_client(editor), _token_client(editor)
    etag = first.get(f"{LIST}park/")["ETag"]
    assert _patch(second, "park", {"summary": "Eine Kollegin war schneller."}).status_code == 200

    response = _patch_if_match(first, "park", {"title": "Überschrieben?"}, etag)

    body = assert_problem(response, 412)
    assert body["type"].endswith("precondition_failed")
    project = Project.objects.get(slug="park")
    assert project.title == "Parkleitsystem"
    assert project.summary == "Eine Kollegin war schneller."


@pytest.mark.parametrize("header", ["*", '"nope", {etag}', "W/{etag}"])
def test_if_match_star_and_lists_match_but_weak_tags_never_do(world, header):
    client = _token_client(MembershipFactory(organization=world["town"], editor=True).user)
    etag = client.get(f"{LIST}park/")["ETag"]

    response = _patch_if_match(client, "park", {"title": "Neu"}, header.format(etag=etag))

    expected = 412 if header.startswith("W/") else 200
    assert response.status_code == expected


def test_a_link_without_a_title_is_a_400_also_in_a_patch(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user

    response = _patch(_token_client(editor), "park", {"links": [{"url": "https://e.de/"}]})

    body = assert_problem(response, 400)
    assert body["errors"][0]["pointer"] == "#/links/0/title"
    assert not Project.objects.get(slug="park").links.exists()


def test_a_goal_named_twice_is_stored_once(world):
    editor = MembershipFactory(organization=world["town"], editor=True).user

    response = _patch(_token_client(editor), "park", {"goals": [2, 2, 1]})

    assert response.status_code == 200, response.content
    assert response.json()["goals"] == [1, 2]
