"""The matching engine's contract: bad input, organizations with little data, weights, text."""

import math

import pytest

from initiativek.cooperation.matching import (
    IMPLEMENTED,
    OTHER,
    PLANNED,
    SIGNALS,
    MatchIndex,
    MatchOrganization,
    MatchProject,
    UnknownOrganization,
    UnknownProject,
    Weights,
)
from initiativek.cooperation.matching.text import tokenize


def org(id_, *, kind="stadt", population=20_000, at=(48.0, 9.0), kreis="08436"):
    latitude, longitude = at if at else (None, None)
    return MatchOrganization(
        id=id_,
        name=f"Org {id_}",
        kind=kind,
        population=population,
        latitude=latitude,
        longitude=longitude,
        kreis=kreis,
        bezirk=None,  # derived from the Kreis
    )


def project(id_, owner, stage, text, *, topics=(), tags=(), reuse=False):
    return MatchProject(
        id=id_,
        organization_id=owner,
        title=text.split(".")[0],
        stage=stage,
        topics=frozenset(topics),
        tags=frozenset(tags),
        text=text,
        reuse_offered=reuse,
    )


PARKING_PLAN = "Smart Parking. Freie Parkplätze mit Sensoren erfassen."
PARKING_DONE = "Smart Parking. Sensoren erfassen freie Parkplätze in der Innenstadt."


@pytest.fixture
def index():
    orgs = [
        org(1, at=(47.78, 9.61)),
        org(2, at=(48.06, 8.49), kreis="08326"),
        org(3, at=None, population=None),  # no coordinates, no population, no projects
        org(4, kind="landkreis", at=(49.5, 8.5), kreis="08222", population=300_000),
    ]
    projects = [
        project(10, 1, PLANNED, PARKING_PLAN, topics={7}, tags={1}),
        project(20, 2, IMPLEMENTED, PARKING_DONE, topics={7}, tags={1}, reuse=True),
        project(21, 2, PLANNED, "eAkte. Einführung der elektronischen Akte.", topics={3}),
        project(40, 4, IMPLEMENTED, "eAkte. Die elektronische Akte ist eingeführt.", topics={3}),
        project(41, 4, OTHER, "Schul-Cloud. Eingestellt.", topics={10}),
    ]
    return MatchIndex.build(orgs, projects)


def test_unknown_ids_raise_their_own_key_errors(index):
    with pytest.raises(UnknownOrganization):
        index.recommend(999)
    with pytest.raises(UnknownOrganization):
        index.signal("text", 1, 999)
    with pytest.raises(UnknownOrganization):
        index.distance_km(999, 1)
    with pytest.raises(UnknownProject):
        index.implemented_like(999)
    assert issubclass(UnknownOrganization, KeyError)
    assert issubclass(UnknownProject, KeyError)


def test_an_unknown_signal_name_is_a_value_error(index):
    with pytest.raises(ValueError, match="nonsense"):
        index.signal("nonsense", 1, 2)


def test_an_organization_without_projects_and_coordinates_still_gets_suggestions(index):
    suggestions = index.recommend(3)
    assert [s.organization_id for s in suggestions] == [1, 2]
    assert [{r.code for r in s.reasons} for s in suggestions] == [
        {"same_kind", "same_kreis"},
        {"same_kind"},
    ]
    assert index.distance_km(3, 1) is None


def test_the_planner_learns_from_the_implementer_with_reuse(index):
    best = index.recommend(1)[0]
    assert best.organization_id == 2
    they = next(r for r in best.reasons if r.code == "they_implemented")
    assert (they.projects, they.other_projects, they.topics, they.reuse) == (
        (10,),
        (20,),
        (7,),
        True,
    )
    distance = next(r for r in best.reasons if r.code == "distance")
    assert distance.distance_km == pytest.approx(index.distance_km(1, 2))
    assert 80 < distance.distance_km < 100


def test_the_implementer_sees_the_planner_with_we_implemented(index):
    suggestion = next(s for s in index.recommend(2) if s.organization_id == 1)
    we = next(r for r in suggestion.reasons if r.code == "we_implemented")
    assert (we.projects, we.other_projects) == ((20,), (10,))
    assert we.reuse is False


def test_stopped_projects_count_for_text_and_tags_but_not_for_learning(index):
    assert index.signal("learning", 1, 4) == 0  # 4 implemented an eAkte; 1 does not plan one
    assert index.signal("learning", 2, 4) > 0  # 2 plans an eAkte


def test_implemented_like_lists_implemented_projects_of_others_only(index):
    matches = index.implemented_like(21)  # org 2's eAkte plan
    assert [m.project_id for m in matches] == [40]
    assert matches[0].organization_id == 4
    assert index.implemented_like(10)[0].project_id == 20
    assert index.implemented_like(20) == []  # nothing else about parking is implemented
    assert index.implemented_like(10, limit=0) == []


def test_empty_data_gives_empty_answers():
    empty = MatchIndex.build([], [])
    assert empty.recommend_all() == {}
    alone = MatchIndex.build([org(1)], [project(10, 1, PLANNED, PARKING_PLAN)])
    assert alone.recommend(1) == []
    assert alone.recommend_all() == {1: []}
    assert alone.implemented_like(10) == []


def test_projects_without_words_or_topics_are_fine():
    index = MatchIndex.build(
        [org(1), org(2)],
        [project(10, 1, PLANNED, ""), project(20, 2, IMPLEMENTED, "und oder der die das")],
    )
    assert index.signal("text", 1, 2) == 0
    assert [s.organization_id for s in index.recommend(1)] == [2]


def test_all_weights_zero_gives_no_suggestions():
    zero = Weights(**dict.fromkeys(SIGNALS, 0))
    index = MatchIndex.build(
        [org(1), org(2)],
        [
            project(10, 1, PLANNED, PARKING_PLAN, topics={7}),
            project(20, 2, IMPLEMENTED, PARKING_DONE, topics={7}),
        ],
        weights=zero,
    )
    assert index.recommend(1) == []
    assert index.recommend_all() == {1: [], 2: []}
    assert index.implemented_like(10) == []
    assert index.signal("learning", 1, 2) > 0  # the signal itself is still there


def test_equal_scores_are_ordered_by_id():
    index = MatchIndex.build([org(5), org(3), org(9), org(1)], [])
    assert [s.organization_id for s in index.recommend(5)] == [1, 3, 9]


def test_limit_exclude_and_unknown_candidates(index):
    assert len(index.recommend(1, limit=1)) == 1
    assert index.recommend(1, limit=0) == []
    assert 2 not in {s.organization_id for s in index.recommend(1, exclude={2, 12345})}
    assert index.recommend(1, candidates={12345}) == []


def test_projects_of_organizations_not_in_the_index_are_left_out():
    index = MatchIndex.build([org(1)], [project(10, 2, IMPLEMENTED, PARKING_DONE)])
    with pytest.raises(UnknownProject):
        index.implemented_like(10)


@pytest.mark.parametrize(
    ("organizations", "projects", "message"),
    [
        ([org(1), org(1)], [], "doppelte Organisations-IDs"),
        (
            [org(1)],
            [project(10, 1, PLANNED, "a"), project(10, 1, PLANNED, "b")],
            "doppelte Projekt",
        ),
        ([org(1)], [project(10, 1, "done", "a")], "unbekannten Stand 'done'"),
    ],
)
def test_inconsistent_input_is_refused(organizations, projects, message):
    with pytest.raises(ValueError, match=message):
        MatchIndex.build(organizations, projects)


def test_weights_from_a_mapping_keep_the_defaults_for_names_left_out():
    weights = Weights.from_mapping({"distance": 2, "text": 0.5})
    assert weights.distance == 2.0
    assert weights.text == 0.5
    assert weights.learning == Weights().learning
    assert Weights.from_mapping({}) == Weights()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"distanz": 1}, "unbekannter Name 'distanz'"),
        ({"distance": "viel"}, "'distance' muss eine Zahl sein"),
        ({"distance": True}, "'distance' muss eine Zahl sein"),
        ({"distance": None}, "'distance' muss eine Zahl sein"),
        ({"distance": math.nan}, "'distance' muss endlich sein"),
        ({"distance": math.inf}, "'distance' muss endlich sein"),
        ({"distance": -1}, "'distance' darf nicht negativ sein"),
        (["distance"], "Mapping"),
    ],
)
def test_malformed_weights_are_refused_with_the_key_named(mapping, message):
    with pytest.raises(ValueError, match=message):
        Weights.from_mapping(mapping)


def test_weights_are_checked_when_made_directly():
    with pytest.raises(ValueError, match="'region' darf nicht negativ sein"):
        Weights(region=-0.5)


def test_german_words_are_folded_and_stemmed():
    assert tokenize("Parkplätze") == tokenize("Parkplatz") == tokenize("PARKPLAETZE")
    assert tokenize("Bürgerservice") == tokenize("Buergerservice")
    assert tokenize("Straße") == tokenize("Strasse")
    assert tokenize("Die Einführung der eAkte in der Stadt") == tokenize("Einführung eAkte")
    assert tokenize("E-Akte 2025, Akten!") == tokenize("akte akte")


def test_explain_refuses_unknown_organizations(index):
    with pytest.raises(UnknownOrganization):
        index.explain(999, [1])
    with pytest.raises(UnknownOrganization):
        index.explain(1, [999])
    assert index.explain(1, []) == []
