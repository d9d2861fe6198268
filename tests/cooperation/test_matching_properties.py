"""Properties of the matching engine over small generated worlds (hypothesis)."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiativek.cooperation.matching import (
    IMPLEMENTED,
    OTHER,
    PLANNED,
    SIGNALS,
    MatchIndex,
    MatchOrganization,
    MatchProject,
    Weights,
)

SYMMETRIC = ("shared_plans", "text", "technology", "distance", "region", "size", "kind", "survey")
# The reason codes each signal can produce (reuse shows as the flag of "they_implemented").
CODES = {
    "shared_plans": {"shared_plans"},
    "learning": {"they_implemented", "we_implemented"},
    "text": {"similar_text"},
    "technology": {"shared_technology"},
    "distance": {"distance"},
    "region": {"same_kreis", "same_bezirk"},
    "size": {"similar_size"},
    "kind": {"same_kind"},
    "survey": {"similar_survey"},
}
_WORD_TEXT = (
    "Parkplatz Sensoren Innenstadt eAkte Dokumentenmanagement Chatbot Bürgerservice Schulen "
    "Tablets LoRaWAN Funknetz Homeoffice VPN Statistik Dashboard Antrag online Feuerwehr"
)
WORDS = _WORD_TEXT.split()
KREISE = ("08436", "08435", "08326", "08111")

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def organizations(draw: st.DrawFn) -> list[MatchOrganization]:
    ids = draw(st.lists(st.integers(1, 500), min_size=2, max_size=7, unique=True))
    result = []
    for id_ in ids:
        located = draw(st.booleans())
        kreis = draw(st.none() | st.sampled_from(KREISE))
        result.append(
            MatchOrganization(
                id=id_,
                name=f"Org {id_}",
                kind=draw(st.sampled_from(["gemeinde", "stadt", "landkreis", ""])),
                population=draw(st.none() | st.integers(100, 600_000)),
                latitude=draw(st.floats(47.5, 49.8)) if located else None,
                longitude=draw(st.floats(7.5, 10.5)) if located else None,
                kreis=kreis,
                bezirk=kreis[:3] if kreis else None,
            )
        )
    return result


@st.composite
def projects(draw: st.DrawFn, orgs: list[MatchOrganization]) -> list[MatchProject]:
    count = draw(st.integers(0, 14))
    result = []
    for number in range(count):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6))
        stage = draw(st.sampled_from([PLANNED, IMPLEMENTED, OTHER]))
        result.append(
            MatchProject(
                id=1000 + number,
                organization_id=draw(st.sampled_from(orgs)).id,
                title=" ".join(words[:2]),
                stage=stage,
                topics=frozenset(draw(st.sets(st.integers(1, 5), max_size=3))),
                tags=frozenset(draw(st.sets(st.integers(1, 5), max_size=2))),
                text=" ".join(words),
                reuse_offered=draw(st.booleans()),
            )
        )
    return result


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[MatchOrganization], list[MatchProject], dict]:
    orgs = draw(organizations())
    features = {
        org.id: frozenset(draw(st.sets(st.sampled_from(["Bandbreite", "Personal", "Geld"]))))
        for org in orgs
    }
    return orgs, draw(projects(orgs)), features


def _build(world, weights: Weights = Weights()) -> MatchIndex:  # noqa: B008
    orgs, items, features = world
    return MatchIndex.build(orgs, items, weights=weights, survey_features=features)


@FAST
@given(worlds())
def test_symmetric_signals_are_symmetric(world):
    index = _build(world)
    ids = [org.id for org in world[0]]
    for name in SYMMETRIC:
        for a in ids:
            for b in ids:
                assert index.signal(name, a, b) == pytest.approx(index.signal(name, b, a)), name


@FAST
@given(worlds())
def test_every_signal_lies_between_zero_and_one(world):
    index = _build(world)
    ids = [org.id for org in world[0]]
    for name in SIGNALS:
        for a in ids:
            for b in ids:
                assert 0.0 <= index.signal(name, a, b) <= 1.0, name


@FAST
@given(worlds(), st.data())
def test_an_implemented_project_never_lowers_learning_for_a_planner(world, data):
    """b's project becomes implemented (it was stopped, or new for the learning signal): the
    corpus and so the IDF weights stay the same, only what b has implemented grows."""
    orgs, items, features = world
    a, b = data.draw(st.sampled_from(orgs)), data.draw(st.sampled_from(orgs))
    words = data.draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    planned = MatchProject(
        9001, a.id, "Plan", PLANNED, frozenset({1}), frozenset(), " ".join(words), False
    )
    new = data.draw(projects([b]))[:1] or [
        MatchProject(9002, b.id, "Neu", OTHER, frozenset({1}), frozenset(), " ".join(words), True)
    ]
    before = [*items, planned, dataclasses.replace(new[0], id=9002, stage=OTHER)]
    after = [*items, planned, dataclasses.replace(new[0], id=9002, stage=IMPLEMENTED)]
    learning_before = _build((orgs, before, features)).signal("learning", a.id, b.id)
    learning_after = _build((orgs, after, features)).signal("learning", a.id, b.id)
    assert learning_after >= learning_before - 1e-12
    reuse_before = _build((orgs, before, features)).signal("reuse", a.id, b.id)
    assert _build((orgs, after, features)).signal("reuse", a.id, b.id) >= reuse_before - 1e-12


@FAST
@given(worlds())
def test_an_organization_is_never_recommended_to_itself(world):
    index = _build(world)
    for org in world[0]:
        assert org.id not in {s.organization_id for s in index.recommend(org.id, limit=50)}


@FAST
@given(worlds(), st.sampled_from(SIGNALS))
def test_a_zero_weight_removes_its_signal(world, name):
    weights = dataclasses.replace(Weights(), **{name: 0.0})
    index = _build(world, weights)
    for org in world[0]:
        for suggestion in index.recommend(org.id, limit=50):
            reasons = suggestion.reasons
            if name == "reuse":
                assert not any(reason.reuse for reason in reasons)
            elif name == "learning":
                # Only the reuse bonus can still speak for "they implemented".
                assert all(r.reuse for r in reasons if r.code in CODES["learning"])
            else:
                assert not {reason.code for reason in reasons} & CODES[name]
            expected = sum(
                getattr(weights, signal) * index.signal(signal, org.id, suggestion.organization_id)
                for signal in SIGNALS
            )
            assert suggestion.score == pytest.approx(expected)


@FAST
@given(worlds())
def test_the_reasons_add_up_to_the_score_best_first(world):
    index = _build(world)
    for org in world[0]:
        suggestions = index.recommend(org.id, limit=50)
        assert [s.score for s in suggestions] == sorted(
            (s.score for s in suggestions), reverse=True
        )
        for suggestion in suggestions:
            assert suggestion.score > 0
            assert sum(r.score for r in suggestion.reasons) == pytest.approx(suggestion.score)
            scores = [r.score for r in suggestion.reasons]
            assert scores == sorted(scores, reverse=True)


@FAST
@given(worlds(), st.integers(1, 4))
def test_recommend_all_agrees_with_recommend(world, limit):
    index = _build(world)
    everything = index.recommend_all(limit=limit)
    assert set(everything) == {org.id for org in world[0]}
    for org in world[0]:
        assert everything[org.id] == index.recommend(org.id, limit=limit)


@FAST
@given(worlds(), st.data())
def test_exclude_and_candidates_restrict_the_suggestions(world, data):
    index = _build(world)
    ids = [org.id for org in world[0]]
    asking = data.draw(st.sampled_from(ids))
    exclude = data.draw(st.sets(st.sampled_from(ids)))
    candidates = data.draw(st.sets(st.sampled_from(ids) | st.integers(900, 999)))
    suggested = {s.organization_id for s in index.recommend(asking, exclude=exclude, limit=50)}
    assert not suggested & exclude
    restricted = index.recommend(asking, candidates=candidates, limit=50)
    assert {s.organization_id for s in restricted} <= candidates
    everyone = index.recommend(asking, limit=50)
    assert restricted == [s for s in everyone if s.organization_id in candidates]


@FAST
@given(worlds(), st.integers(1, 6))
def test_suggestions_without_reasons_rank_the_same_and_explain_gives_their_reasons(world, size):
    index = _build(world)
    for org in world[0]:
        explained = index.recommend(org.id, limit=50)
        plain = index.recommend(org.id, limit=50, explain=False)
        assert [(s.organization_id, s.score) for s in plain] == [
            (s.organization_id, s.score) for s in explained
        ]
        assert all(s.reasons == () for s in plain)
        for start in range(0, len(plain), size):
            page = [s.organization_id for s in plain[start : start + size]]
            assert index.explain(org.id, page) == explained[start : start + size]


@settings(max_examples=200, deadline=None)
@given(
    totals=st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.3333]), min_size=0, max_size=60),
    limit=st.integers(min_value=1, max_value=12),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_implemented_like_picks_the_best_like_a_full_sort(totals, limit, seed):
    """Sorting only the candidates that can be among the best gives the full sort's head,
    ties (many here) by id."""
    import numpy as np

    from initiativek.cooperation.matching.projects import _best

    rng = np.random.default_rng(seed)
    scores = np.array(totals, dtype=np.float64)
    candidates = np.flatnonzero(scores >= 0)
    ids = rng.permutation(len(scores)).astype(np.int64) + 100
    expected = candidates[np.lexsort((ids, -scores[candidates]))[:limit]]
    assert _best(candidates, scores, ids, limit).tolist() == expected.tolist()
