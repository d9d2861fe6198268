import pytest
from django.conf import settings
from django.urls import reverse

from initiativek.organizations.constants import RegionLevel
from tests.conftest import client_for
from tests.organizations.factories import (
    ContactPersonFactory,
    MembershipFactory,
    OrganizationFactory,
    RegionFactory,
)

URL = reverse("organizations:directory")


@pytest.fixture
def regions(db):
    land = RegionFactory(key="08", level=RegionLevel.LAND, name="Baden-Württemberg")
    tue = RegionFactory(key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen", parent=land)
    fr = RegionFactory(key="083", level=RegionLevel.REGIERUNGSBEZIRK, name="Freiburg", parent=land)
    rv = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg", parent=tue)
    kn = RegionFactory(key="08335", level=RegionLevel.KREIS, name="Konstanz", parent=fr)
    return {
        "ravensburg": RegionFactory(key="08436064", name="Ravensburg", parent=rv),
        "wangen": RegionFactory(key="08436081", name="Wangen im Allgäu", parent=rv),
        "konstanz": RegionFactory(key="08335043", name="Konstanz", parent=kn),
    }


@pytest.fixture
def towns(regions):
    return {
        "ravensburg": OrganizationFactory(
            name="Ravensburg",
            ags="08436064",
            kind="grosse_kreisstadt",
            region=regions["ravensburg"],
        ),
        "wangen": OrganizationFactory(
            name="Wangen im Allgäu", ags="08436081", region=regions["wangen"], is_member=False
        ),
        "konstanz": OrganizationFactory(
            name="Konstanz", ags="08335043", kind="grosse_kreisstadt", region=regions["konstanz"]
        ),
        "stadtwerke": OrganizationFactory(name="Stadtwerke Konstanz", kind="stadtwerke"),
    }


def _names(response) -> list[str]:
    return [organization.name for organization in response.context["page"].object_list]


def test_directory_lists_members_first(client, towns):
    names = _names(client.get(URL))
    assert names[-1] == "Wangen im Allgäu"
    assert set(names) == {"Ravensburg", "Wangen im Allgäu", "Konstanz", "Stadtwerke Konstanz"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "grosse_kreisstadt"}, {"Ravensburg", "Konstanz"}),
        ({"regierungsbezirk": "084"}, {"Ravensburg", "Wangen im Allgäu"}),
        ({"kreis": "08335"}, {"Konstanz"}),
        ({"mitglied": "nein"}, {"Wangen im Allgäu"}),
        ({"mitglied": "ja", "regierungsbezirk": "084"}, {"Ravensburg"}),
        ({"q": "konstanz"}, {"Konstanz", "Stadtwerke Konstanz"}),
        ({"q": "08436"}, {"Ravensburg", "Wangen im Allgäu"}),
    ],
)
def test_directory_filters(client, towns, query, expected):
    assert set(_names(client.get(URL, query))) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "raumschiff"},
        {"regierungsbezirk": "999"},
        {"kreis": "<script>"},
        {"mitglied": "vielleicht"},
        {"seite": "999"},
        {"seite": "-1"},
        {"seite": "abc"},
    ],
)
def test_directory_ignores_unknown_values_without_error(client, towns, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert len(_names(response)) == 4


def test_directory_paginates_and_keeps_filters_in_links(client, db, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for number in range(5):
        OrganizationFactory(name=f"Stadt {number}", kind="stadt")
    response = client.get(URL, {"kind": "stadt"})
    body = response.content.decode()
    assert len(_names(response)) == 2
    assert "Seite 1 von 3" in body
    assert "kind=stadt&amp;seite=2" in body


def test_directory_empty_result_explains_itself(client, towns):
    body = client.get(URL, {"q": "Atlantis"}).content.decode()
    assert "Keine Organisation passt zu diesen Filtern" in body


def test_directory_query_count_does_not_grow_with_results(
    client, towns, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_profile_shows_breadcrumb_parent_and_children(client, towns):
    stadtwerke = towns["stadtwerke"]
    stadtwerke.parent = towns["konstanz"]
    stadtwerke.save()
    body = client.get(towns["konstanz"].get_absolute_url()).content.decode()
    assert "Freiburg" in body and "Baden-Württemberg" in body
    assert "?kreis=08335" in body  # breadcrumb links into the filtered directory
    assert "Stadtwerke Konstanz" in body
    assert "Zugehörige Organisationen" in body
    child = client.get(stadtwerke.get_absolute_url()).content.decode()
    assert "Gehört zu" in child and towns["konstanz"].get_absolute_url() in child


def test_unknown_profile_is_404(client, db):
    assert client.get("/organisationen/gibt-es-nicht/").status_code == 404


def test_contact_details_public_or_members_only(client, towns, user):
    town = towns["ravensburg"]
    ContactPersonFactory(
        organization=town,
        name="Carola Grabherr",
        function="Digitalisierungsbeauftragte",
        email="oeffentlich@example.org",
        email_visibility="public",
        phone="0751 1",
        phone_visibility="members",
    )
    ContactPersonFactory(organization=town, name="Verborgene Person", visibility="members")
    anonymous = client.get(town.get_absolute_url()).content.decode()
    assert "Carola Grabherr" in anonymous and "Digitalisierungsbeauftragte" in anonymous
    assert "oeffentlich@example.org" in anonymous
    assert "0751 1" not in anonymous
    assert "Verborgene Person" not in anonymous
    assert "nur für angemeldete Mitglieder sichtbar" in anonymous

    # A signed-in user without a member organization is not a member either.
    outsider = client_for(user).get(town.get_absolute_url()).content.decode()
    assert "0751 1" not in outsider

    member = MembershipFactory(organization=towns["konstanz"]).user
    as_member = client_for(member).get(town.get_absolute_url()).content.decode()
    assert "0751 1" in as_member and "Verborgene Person" in as_member


def test_people_of_an_organization_are_visible_to_its_people_and_team_only(towns, team_user):
    town = towns["ravensburg"]
    admin = MembershipFactory(organization=town, admin=True, user__name="Alex Admin").user
    other_member = MembershipFactory(organization=towns["konstanz"]).user
    url = town.get_absolute_url()
    assert "Alex Admin" in client_for(admin).get(url).content.decode()
    assert "Alex Admin" in client_for(team_user).get(url).content.decode()
    assert "Alex Admin" not in client_for(other_member).get(url).content.decode()


def test_profile_renders_in_english(client, towns):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(towns["ravensburg"].get_absolute_url()).content.decode()
    assert "Contact persons" in body
    assert "Large district town" in body


def test_people_of_partner_companies_do_not_see_members_only_details(client, towns):
    town = towns["ravensburg"]
    ContactPersonFactory(organization=town, phone="0751 1", phone_visibility="members")
    vendor = MembershipFactory(organization__kind="partner", organization__is_member=True).user
    assert "0751 1" not in client_for(vendor).get(town.get_absolute_url()).content.decode()


@pytest.mark.parametrize("query", ["überlingen", "ÜBERLINGEN", "Überlingen", "berlingen"])
def test_search_ignores_case_of_umlauts_on_every_database(client, db, query):
    OrganizationFactory(name="Überlingen")
    OrganizationFactory(name="Straßberg")
    assert _names(client.get(URL, {"q": query})) == ["Überlingen"]


def test_search_finds_sharp_s_written_as_ss(client, db):
    OrganizationFactory(name="Straßberg")
    assert _names(client.get(URL, {"q": "strassberg"})) == ["Straßberg"]
