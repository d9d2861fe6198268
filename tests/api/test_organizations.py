import pytest
from django.urls import reverse

from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind, RegionLevel, Visibility
from tests.api.conftest import assert_problem, token_client
from tests.organizations.factories import (
    ContactPersonFactory,
    MembershipFactory,
    OrganizationFactory,
    RegionFactory,
)

LIST = "/api/v1/organizations/"


@pytest.fixture
def regions(db):
    land = RegionFactory(key="08", level=RegionLevel.LAND, name="Baden-Württemberg")
    rb = RegionFactory(key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen", parent=land)
    kreis = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg", parent=rb)
    town = RegionFactory(key="08436064", name="Ravensburg", parent=kreis)
    return {"land": land, "rb": rb, "kreis": kreis, "town": town}


def test_organization_list_is_public_and_paginated(api_client, db):
    OrganizationFactory.create_batch(3)
    response = api_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert {"slug", "name", "kind", "is_member", "web_url"} <= set(body["results"][0])


def test_organization_pages_are_stable_with_equal_names(api_client, db):
    for index in range(7):
        OrganizationFactory(name="Gleichnamig", slug=f"gleich-{index}")
    seen = []
    for page in (1, 2, 3):
        response = api_client.get(LIST, {"seite": page, "pro_seite": 3})
        seen.extend(item["slug"] for item in response.json()["results"])
    assert sorted(seen) == sorted(f"gleich-{index}" for index in range(7))
    assert len(seen) == len(set(seen))


def test_page_size_is_bounded(api_client, db):
    OrganizationFactory.create_batch(3)
    response = api_client.get(LIST, {"pro_seite": 100000})
    assert response.status_code == 200


def test_page_beyond_the_last_is_a_404_problem(api_client, db):
    assert_problem(api_client.get(LIST, {"seite": 99}), 404)


def test_organization_filters_mirror_the_directory(api_client, regions):
    town = OrganizationFactory(name="Ravensburg", ags="08436064", region=regions["town"])
    OrganizationFactory(name="Anderswo", kind=OrganizationKind.GEMEINDE, not_member=True)

    def slugs(**params):
        return [item["slug"] for item in api_client.get(LIST, params).json()["results"]]

    assert slugs(q="ravens") == [town.slug]
    assert slugs(q="08436") == [town.slug]
    assert slugs(kreis="08436") == [town.slug]
    assert slugs(regierungsbezirk="084") == [town.slug]
    assert slugs(kreis="99999") == []
    assert slugs(kind="stadt") == [town.slug]
    assert slugs(mitglied="ja") == [town.slug]
    assert len(slugs(mitglied="nein")) == 1


@pytest.mark.parametrize(
    "params", [{"kind": "raumschiff"}, {"mitglied": "vielleicht"}, {"kreis": "1" * 13}]
)
def test_filter_values_of_the_wrong_kind_are_400_problems(api_client, regions, params):
    body = assert_problem(api_client.get(LIST, params), 400)
    field = next(iter(params))
    assert body["errors"][0]["pointer"] == f"#/{field}"


def test_contacts_in_the_api_follow_the_web_visibility(api_client, db):
    organization = OrganizationFactory()
    ContactPersonFactory(
        organization=organization,
        name="Öffentlich",
        email="a@example.org",
        email_visibility=Visibility.MEMBERS,
    )
    ContactPersonFactory(organization=organization, name="Intern", visibility=Visibility.MEMBERS)
    url = f"{LIST}{organization.slug}/"

    public = api_client.get(url).json()
    assert [c["name"] for c in public["contacts"]] == ["Öffentlich"]
    assert public["contacts"][0]["email"] == ""
    assert public["hidden_contact_count"] == 1

    member = MembershipFactory(organization=organization).user
    seen = token_client(member).get(url).json()
    by_name = {contact["name"]: contact for contact in seen["contacts"]}
    assert set(by_name) == {"Öffentlich", "Intern"}
    assert by_name["Öffentlich"]["email"] == "a@example.org"


def test_unknown_organization_is_a_404_problem(api_client, db):
    assert_problem(api_client.get(f"{LIST}gibt-es-nicht/"), 404)


def test_detail_answers_304_when_the_etag_matches(api_client, db):
    organization = OrganizationFactory()
    url = f"{LIST}{organization.slug}/"
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    organization.name = "Umbenannt"
    organization.save()
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_region_list_filters_by_level_and_parent(api_client, regions):
    response = api_client.get("/api/v1/regions/", {"level": "kreis"})
    assert [r["key"] for r in response.json()["results"]] == ["08436"]
    response = api_client.get("/api/v1/regions/", {"parent": "08436"})
    assert [r["key"] for r in response.json()["results"]] == ["08436064"]
    assert_problem(api_client.get("/api/v1/regions/", {"level": "planet"}), 400)


def test_region_detail_lists_its_ancestors(api_client, regions):
    body = api_client.get("/api/v1/regions/08436064/").json()
    assert [a["key"] for a in body["ancestors"]] == ["08", "084", "08436"]
    assert body["parent"] == "08436"


def test_topics_and_goals_are_public(api_client, db):
    Topic.objects.create(name="Testthema", slug="testthema", position=0)
    slugs = [
        t["slug"] for t in api_client.get("/api/v1/topics/", {"pro_seite": 100}).json()["results"]
    ]
    assert "testthema" in slugs
    assert api_client.get("/api/v1/topics/testthema/").json()["name"] == "Testthema"
    goals = api_client.get("/api/v1/goals/").json()
    assert [goal["id"] for goal in goals] == [1, 2, 3, 4, 5]
    assert api_client.get("/api/v1/goals/3/").json()["id"] == 3
    assert_problem(api_client.get("/api/v1/goals/6/"), 404)
    assert_problem(api_client.get("/api/v1/goals/abc/"), 404)


def test_url_names_resolve():
    assert reverse("api:organization-list") == LIST
    assert reverse("api:docs") == "/api/docs/"
