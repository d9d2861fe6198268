import pytest
from django.urls import reverse

from initiativek.core.models import Topic
from initiativek.organizations.constants import RegionLevel
from initiativek.projects.filters import CatalogChoices, CatalogFilters
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory, RegionFactory
from tests.projects.factories import SearchableProjectFactory

URL = reverse("projects:catalog")


@pytest.fixture
def regions(db):
    land = RegionFactory(key="08", level=RegionLevel.LAND, name="Baden-Württemberg")
    tue = RegionFactory(key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen", parent=land)
    fr = RegionFactory(key="083", level=RegionLevel.REGIERUNGSBEZIRK, name="Freiburg", parent=land)
    rv = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg", parent=tue)
    kn = RegionFactory(key="08335", level=RegionLevel.KREIS, name="Konstanz", parent=fr)
    return {
        "kreis_ravensburg": rv,
        "ravensburg": RegionFactory(key="08436064", name="Ravensburg", parent=rv),
        "konstanz": RegionFactory(key="08335043", name="Konstanz", parent=kn),
    }


@pytest.fixture
def topics(db):
    return {
        "parken": Topic.objects.create(name="Testthema Parken", slug="test-parken", position=90),
        "schulen": Topic.objects.create(name="Testthema Schulen", slug="test-schulen", position=91),
    }


@pytest.fixture
def catalog(regions, topics):
    """Four published projects of three organizations in two Regierungsbezirke."""
    ravensburg = OrganizationFactory(
        name="Ravensburg", kind="grosse_kreisstadt", region=regions["ravensburg"]
    )
    konstanz = OrganizationFactory(name="Konstanz", kind="stadt", region=regions["konstanz"])
    landkreis = OrganizationFactory(
        name="Landkreis Ravensburg", kind="landkreis", region=regions["kreis_ravensburg"]
    )
    return {
        "parking": SearchableProjectFactory(
            title="Smart Parking",
            summary="Freie Parkplätze per Sensor",
            owner=ravensburg,
            status="umgesetzt",
            reuse_offered=True,
            topics=[topics["parken"]],
            goals=[3, 5],
        ),
        "mobil": SearchableProjectFactory(
            title="Mobilitätsplattform",
            summary="Bus, Rad und Parkhaus in einer App",
            owner=ravensburg,
            status="in_umsetzung",
            topics=[topics["parken"]],
            goals=[3],
        ),
        "daten": SearchableProjectFactory(
            title="Stadt mit Daten gestalten",
            summary="Offene Daten",
            owner=konstanz,
            status="geplant",
            goals=[2],
        ),
        "schule": SearchableProjectFactory(
            title="Tablets für Schulen",
            summary="Geräte und WLAN",
            owner=landkreis,
            status="idee",
            reuse_offered=True,
            topics=[topics["schulen"]],
        ),
    }


def _titles(response) -> set[str]:
    return {project.title for project in response.context["page"].object_list}


def _facet(response, name: str) -> dict[str, tuple[int, bool]]:
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: (option.count, option.selected) for option in facet.options}


# Visibility


def test_catalog_lists_published_public_projects(client, catalog):
    response = client.get(URL)
    assert response.status_code == 200
    assert _titles(response) == {p.title for p in catalog.values()}
    assert response.context["total"] == 4


def test_drafts_archived_and_members_only_projects_are_hidden_from_anonymous(client, catalog):
    SearchableProjectFactory(title="Entwurf Parkplatz", draft=True)
    SearchableProjectFactory(title="Archiv Parkplatz", archived=True)
    SearchableProjectFactory(title="Intern Parkplatz", members_only=True)
    for query in ({}, {"q": "Parkplatz"}):
        response = client.get(URL, query)
        assert not {"Entwurf Parkplatz", "Archiv Parkplatz", "Intern Parkplatz"} & _titles(response)
    assert "Intern Parkplatz" not in response.content.decode()


def test_members_see_members_only_projects_but_never_drafts(catalog):
    SearchableProjectFactory(title="Intern", members_only=True)
    own_draft = SearchableProjectFactory(title="Eigener Entwurf", draft=True)
    member = MembershipFactory(organization=own_draft.owner).user
    titles = _titles(client_for(member).get(URL))
    assert "Intern" in titles
    assert "Eigener Entwurf" not in titles


def test_create_button_only_for_people_who_may_create(client, catalog, user):
    create_url = reverse("projects:create")
    editor = MembershipFactory(editor=True).user
    assert create_url not in client.get(URL).content.decode()
    assert create_url not in client_for(user).get(URL).content.decode()
    assert create_url in client_for(editor).get(URL).content.decode()


# Search, filters and sorting


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Parkplatz"}, {"Smart Parking"}),
        ({"q": "parkhäuser"}, {"Mobilitätsplattform"}),
        ({"thema": "test-parken"}, {"Smart Parking", "Mobilitätsplattform"}),
        (
            {"thema": ["test-parken", "test-schulen"]},
            {"Smart Parking", "Mobilitätsplattform", "Tablets für Schulen"},
        ),
        ({"stand": "umgesetzt"}, {"Smart Parking"}),
        ({"ziel": "3"}, {"Smart Parking", "Mobilitätsplattform"}),
        ({"art": "landkreis"}, {"Tablets für Schulen"}),
        (
            {"regierungsbezirk": "084"},
            {"Smart Parking", "Mobilitätsplattform", "Tablets für Schulen"},
        ),
        ({"regierungsbezirk": "083"}, {"Stadt mit Daten gestalten"}),
        ({"nachnutzung": "ja"}, {"Smart Parking", "Tablets für Schulen"}),
    ],
)
def test_each_filter(client, catalog, query, expected):
    assert _titles(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"ziel": "3", "nachnutzung": "ja"}, {"Smart Parking"}),
        (
            {"regierungsbezirk": "084", "art": "grosse_kreisstadt", "stand": "in_umsetzung"},
            {"Mobilitätsplattform"},
        ),
        ({"q": "Sensor", "thema": "test-parken", "ziel": "5"}, {"Smart Parking"}),
        ({"q": "Sensor", "thema": "test-schulen"}, set()),
    ],
)
def test_filters_combine(client, catalog, query, expected):
    assert _titles(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"thema": "raumschiff"},
        {"stand": "fertig"},
        {"ziel": "6"},
        {"ziel": "drei"},
        {"ziel": "٣"},
        {"art": "raumschiff"},
        {"regierungsbezirk": "999"},
        {"regierungsbezirk": "08436"},
        {"nachnutzung": "vielleicht"},
        {"sortierung": "zufall"},
        {"seite": "999"},
        {"seite": "-1"},
        {"seite": "abc"},
        {"seite": "1e9999"},
    ],
)
def test_unknown_values_are_ignored(client, catalog, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert _titles(response) == {p.title for p in catalog.values()}


def test_unknown_topic_is_dropped_but_known_topic_kept(client, catalog):
    response = client.get(URL, {"thema": ["raumschiff", "test-schulen"]})
    assert _titles(response) == {"Tablets für Schulen"}
    assert response.context["filters"].topics == ("test-schulen",)


def test_hostile_search_words_give_a_page(client, catalog):
    for words in ["<script>alert(1)</script>", "'\"&|!:*()", "x" * 5000]:
        response = client.get(URL, {"q": words})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    # NUL characters are refused before any view (core.middleware.NulCharacterMiddleware).
    assert client.get(URL, {"q": "a\x00b"}).status_code == 400


def test_search_sorts_by_relevance_by_default(client, catalog):
    SearchableProjectFactory(title="Sensor-Netz", summary="Viele Sensoren im Sensor-Netz")
    response = client.get(URL, {"q": "Sensor"})
    titles = [p.title for p in response.context["page"].object_list]
    assert titles == ["Sensor-Netz", "Smart Parking"]
    assert response.context["filters"].effective_sort == "relevanz"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "titel",
            [
                "Mobilitätsplattform",
                "Smart Parking",
                "Stadt mit Daten gestalten",
                "Tablets für Schulen",
            ],
        ),
        (
            "stand",
            [
                "Smart Parking",
                "Mobilitätsplattform",
                "Stadt mit Daten gestalten",
                "Tablets für Schulen",
            ],
        ),
        (
            "relevanz",
            [
                "Tablets für Schulen",
                "Stadt mit Daten gestalten",
                "Mobilitätsplattform",
                "Smart Parking",
            ],
        ),
    ],
)
def test_sorting(client, catalog, sort, expected):
    # Without search words "relevanz" falls back to the newest first (the last created).
    response = client.get(URL, {"sortierung": sort})
    assert [p.title for p in response.context["page"].object_list] == expected


def test_pagination_keeps_the_filters(client, db):
    for n in range(23):
        SearchableProjectFactory(title=f"Parkplatz {n:02d}", reuse_offered=True)
    response = client.get(URL, {"nachnutzung": "ja", "seite": "2"})
    assert response.context["total"] == 23
    assert len(response.context["page"].object_list) == 3
    assert "?nachnutzung=ja&amp;seite=1" in response.content.decode()


# Facets


def test_facet_counts_over_the_whole_result(client, catalog):
    response = client.get(URL)
    assert _facet(response, "stand") == {
        "idee": (1, False),
        "geplant": (1, False),
        "in_umsetzung": (1, False),
        "umgesetzt": (1, False),
    }
    assert _facet(response, "thema") == {"test-parken": (2, False), "test-schulen": (1, False)}
    assert _facet(response, "ziel") == {"2": (1, False), "3": (2, False), "5": (1, False)}
    assert _facet(response, "art") == {
        "stadt": (1, False),
        "grosse_kreisstadt": (2, False),
        "landkreis": (1, False),
    }
    assert _facet(response, "regierungsbezirk") == {"083": (1, False), "084": (3, False)}
    assert _facet(response, "nachnutzung") == {"ja": (2, False)}


def test_a_facets_own_filter_does_not_shrink_its_counts(client, catalog):
    response = client.get(URL, {"stand": "umgesetzt", "thema": "test-parken"})
    assert _titles(response) == {"Smart Parking"}
    # Status counts: topic filter applied, status filter not.
    assert _facet(response, "stand") == {"in_umsetzung": (1, False), "umgesetzt": (1, True)}
    # Topic counts: status filter applied, topic filter not.
    assert _facet(response, "thema") == {"test-parken": (1, True)}
    # Other facets: both filters applied.
    assert _facet(response, "nachnutzung") == {"ja": (1, False)}
    assert _facet(response, "regierungsbezirk") == {"084": (1, False)}


def test_facet_counts_follow_the_search(client, catalog):
    response = client.get(URL, {"q": "Parkplatz Parkhaus"})
    assert _titles(response) == set()
    response = client.get(URL, {"q": "Ravensburg"})  # no project text names the town
    assert _titles(response) == set()
    response = client.get(URL, {"q": "App"})
    assert _facet(response, "stand") == {"in_umsetzung": (1, False)}


def test_facet_links_toggle_their_value(client, catalog):
    response = client.get(URL, {"thema": "test-parken"})
    facet = next(f for f in response.context["facets"] if f.name == "thema")
    queries = {option.value: option.query for option in facet.options}
    assert queries["test-parken"] == ""
    assert queries["test-schulen"] == "?thema=test-parken&thema=test-schulen"


# Chips and the empty result


def test_active_filters_are_removable_chips(client, catalog):
    response = client.get(URL, {"q": "Sensor", "stand": "umgesetzt", "nachnutzung": "ja"})
    chips = {chip.label: chip.query for chip in response.context["chips"]}
    assert chips == {
        "Suche: „Sensor“": "?stand=umgesetzt&nachnutzung=ja",
        "Stand: umgesetzt": "?q=Sensor&nachnutzung=ja",
        "Nachnutzung: möglich": "?q=Sensor&stand=umgesetzt",
    }
    html = response.content.decode()
    assert f'href="{URL}?q=Sensor&amp;nachnutzung=ja"' in html


def test_empty_result_explains_itself_and_offers_to_widen(client, catalog):
    response = client.get(URL, {"q": "Raumfahrt", "stand": "umgesetzt"})
    html = response.content.decode()
    assert response.context["total"] == 0
    assert "Keine Projekte gefunden für „Raumfahrt“" in html
    assert f'href="{URL}?stand=umgesetzt"' in html  # without the search words
    assert f'href="{URL}?q=Raumfahrt"' in html  # without the status
    assert "Alle Projekte anzeigen" in html


def test_empty_result_of_filters_only(client, catalog):
    html = client.get(URL, {"thema": "test-schulen", "stand": "umgesetzt"}).content.decode()
    assert "Keine Projekte passen zu diesen Filtern" in html


def test_result_shows_owner_status_topics_and_reuse(client, catalog):
    html = client.get(URL, {"q": "Parkplatz"}).content.decode()
    assert "Ravensburg" in html
    assert "umgesetzt" in html
    assert "Testthema Parken" in html
    assert "Nachnutzung möglich" in html


# Cached counts follow every change


def test_cached_counts_follow_saves_topic_changes_and_deletes(client, catalog, topics):
    assert _facet(client.get(URL), "stand")["umgesetzt"] == (1, False)

    catalog["mobil"].status = "umgesetzt"
    catalog["mobil"].save()
    assert _facet(client.get(URL), "stand")["umgesetzt"] == (2, False)

    catalog["daten"].topics.add(topics["parken"])
    assert _facet(client.get(URL), "thema")["test-parken"] == (3, False)

    catalog["parking"].delete()
    response = client.get(URL)
    assert _facet(response, "thema")["test-parken"] == (2, False)
    assert response.context["page"].paginator.count == 3


def test_cached_counts_follow_an_organizations_change(client, catalog):
    assert _facet(client.get(URL), "art")["stadt"] == (1, False)
    owner = catalog["schule"].owner
    owner.kind = "stadt"
    owner.save()
    assert _facet(client.get(URL), "art")["stadt"] == (2, False)


# Queries


# Topics, Regierungsbezirke, one statement for the total and all facets, the page, the page's
# topics; on PostgreSQL two more for the names (technologies and vendors, topics) that share
# lexemes with the search words.
def _catalog_queries() -> int:
    from django.db import connection

    return 5 + (2 if connection.vendor == "postgresql" else 0)


def test_catalog_needs_a_fixed_number_of_queries(
    client, catalog, topics, django_assert_max_num_queries
):
    CATALOG_QUERIES = _catalog_queries()
    for n in range(30):
        SearchableProjectFactory(title=f"Parkplatz {n}", topics=list(topics.values()), goals=[1])
    with django_assert_max_num_queries(CATALOG_QUERIES):
        client.get(URL, {"q": "Parkplatz", "thema": "test-parken", "ziel": "1"})
    with django_assert_max_num_queries(CATALOG_QUERIES):
        client.get(URL, {"seite": "2"})


def test_catalog_queries_for_members_stay_bounded(catalog, django_assert_max_num_queries):
    CATALOG_QUERIES = _catalog_queries()
    member = MembershipFactory(organization=catalog["daten"].owner).user
    member_client = client_for(member)
    for n in range(30):
        SearchableProjectFactory(title=f"Parkplatz {n}", members_only=True)
    # Plus what the page frame needs for a signed-in user (session read and save in a
    # savepoint, user, membership twice, notifications, may-create check); none of it grows with
    # the number of projects.
    with django_assert_max_num_queries(CATALOG_QUERIES + 9):
        member_client.get(URL, {"q": "Parkplatz"})


# The URL state


def test_filters_round_trip_through_the_url():
    from django.http import QueryDict

    choices = CatalogChoices(
        topics=[Topic(slug="a"), Topic(slug="b")], regierungsbezirke={"084": "Tübingen"}
    )
    params = QueryDict(
        "q=Park++platz&thema=b&thema=a&stand=idee&ziel=2&art=stadt"
        "&regierungsbezirk=084&nachnutzung=ja&sortierung=titel"
    )
    filters = CatalogFilters.from_query(params, choices)
    assert filters.q == "Park platz"
    assert filters.topics == ("a", "b")
    assert CatalogFilters.from_query(QueryDict(filters.query_string()[1:]), choices) == filters


# The first pages come with the counts (ids in order), later pages from the query


@pytest.mark.parametrize("sort", ["relevanz", "neueste", "titel", "stand"])
@pytest.mark.parametrize("query", [{}, {"q": "Parkplatz"}, {"q": "Parkplatz", "stand": "idee"}])
def test_pages_from_the_ids_match_the_sorted_query(client, db, monkeypatch, sort, query):
    from initiativek.projects import filters as catalog_filters
    from initiativek.projects.views import catalog as catalog_view

    monkeypatch.setattr(catalog_view, "PAGE_SIZE", 5)
    statuses = ["idee", "geplant", "umgesetzt"]
    for n in range(13):
        SearchableProjectFactory(
            title=f"{'Parkplatz ' * (n % 3 + 1)}Nummer {n:02d}",
            summary="Parkplatz" if n % 2 else "Ladesäule",
            status=statuses[n % 3],
        )
    params = {**query, "sortierung": sort}
    # Everything through the sorted query: the reference order.
    monkeypatch.setattr(catalog_filters, "RESULT_IDS", 0)
    expected = [
        title
        for page in ("1", "2", "3")
        for title in _page_titles(client.get(URL, {**params, "seite": page}))
    ]
    assert expected
    # Ids for a page and a half: page 1 from the ids, later pages from the query; or all.
    for result_ids in (7, 30):
        from django.core.cache import cache

        cache.clear()
        monkeypatch.setattr(catalog_filters, "RESULT_IDS", result_ids)
        got = [
            title
            for page in ("1", "2", "3")
            for title in _page_titles(client.get(URL, {**params, "seite": page}))
        ]
        assert got == expected


def _page_titles(response) -> list[str]:
    return [project.title for project in response.context["page"].object_list]
