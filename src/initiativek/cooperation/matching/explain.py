"""Reasons for the chosen suggestions: which topics, projects and tags stand behind each signal.

Only the top suggestions are explained, one asking organization at a time: its projects are
compared with the projects of all chosen organizations at once (text cosine, shared topics,
shared tags), and each reason names, on both sides, the projects of the best pairs between the
stages it is about (planned × planned for shared plans, planned × implemented for learning …).
"""

from collections.abc import Mapping
from itertools import pairwise

import numpy as np

from .data import IndexData, owned
from .model import REASON_CODES, Reason, Suggestion, Weights
from .score import dense, saturate

MAX_PROJECTS = 3
_ORDER = {code: position for position, code in enumerate(REASON_CODES)}
PLANNED_CODE, IMPLEMENTED_CODE = 0, 1
# Pair kinds: (reason code, own stage, other stage); None is any stage.
_PAIRINGS = (
    ("shared_plans", PLANNED_CODE, PLANNED_CODE),
    ("they_implemented", PLANNED_CODE, IMPLEMENTED_CODE),
    ("we_implemented", IMPLEMENTED_CODE, PLANNED_CODE),
    ("similar_text", None, None),
)


def suggestions(
    data: IndexData,
    weights: Weights,
    row: int,
    others: np.ndarray,
    values: Mapping[str, np.ndarray],
    totals: np.ndarray,
    distances: np.ndarray,
) -> list[Suggestion]:
    """Suggestions for organization ``row`` towards the rows ``others`` (best first); ``values``
    holds the components, ``totals`` the scores and ``distances`` the km at those rows."""
    if len(others) == 0:
        return []
    pairs = _ProjectPairs(data, weights, row, others)
    result = []
    for position, other in enumerate(others.tolist()):
        scores = _contributions(weights, values, position)
        km = float(distances[position])
        reasons = _project_reasons(data, row, other, pairs, position, scores)
        reasons += _place_reasons(data, row, other, scores, None if np.isnan(km) else km)
        reasons.sort(key=lambda reason: (-reason.score, _ORDER[reason.code]))
        result.append(
            Suggestion(
                organization_id=int(data.org_ids[other]),
                score=float(totals[position]),
                reasons=tuple(reasons),
            )
        )
    return result


def _contributions(
    weights: Weights, values: Mapping[str, np.ndarray], position: int
) -> dict[str, float]:
    def value(name: str) -> float:
        return float(values[name][position]) if name in values else 0.0

    return {
        "shared_plans": weights.shared_plans * value("shared_plans"),
        "they_learning": weights.learning * 0.5 * value("they"),
        "they_reuse": weights.reuse * value("reuse"),
        "we_implemented": weights.learning * 0.5 * value("we"),
        "similar_text": weights.text * value("text"),
        "shared_technology": weights.technology * value("technology"),
        "distance": weights.distance * value("distance"),
        "region": weights.region * value("region"),
        "region_value": value("region"),
        "similar_size": weights.size * value("size"),
        "same_kind": weights.kind * value("kind"),
        "similar_survey": weights.survey * value("survey"),
    }


class _ProjectPairs:
    """The best project pairs between one organization and each chosen other, per pairing.

    ``own_best[code]`` is (own projects × others): for each own project the best pair with a
    project of that other; ``their_best[code]`` is (their projects,): for each project of an
    other the best pair with an own project. Their projects are concatenated, other by other.
    """

    def __init__(self, data: IndexData, weights: Weights, row: int, others: np.ndarray) -> None:
        start, end = data.project_indptr[row], data.project_indptr[row + 1]
        theirs, _ = owned(data.project_indptr, others)
        counts = data.project_indptr[others + 1] - data.project_indptr[others]
        self.bounds = np.concatenate([[0], np.cumsum(counts)])
        self.own_ids = data.project_ids[start:end]
        self.their_ids = data.project_ids[theirs]
        text = np.clip(dense(data.text[start:end] @ data.text[theirs].T), 0.0, 1.0)
        topics = dense(data.project_topics[start:end] @ data.project_topics[theirs].T)
        topical = 0.5 * saturate(topics) + 0.5 * text
        # Implemented projects that offer reuse count more, as in the score.
        reuse = weights.learning * 0.5 + weights.reuse * data.project_reuse[theirs]
        matrices = {
            "shared_plans": topical,
            "they_implemented": topical * reuse[None, :],
            "we_implemented": topical,
            "similar_text": text,
        }
        own_stage, their_stage = data.project_stage[start:end], data.project_stage[theirs]
        self.own_best: dict[str, np.ndarray] = {}
        self.their_best: dict[str, np.ndarray] = {}
        self._ranked: dict[str, tuple[list, list]] = {}
        for code, own, other in _PAIRINGS:
            scores = matrices[code]
            if own is not None:
                scores = scores * (own_stage == own)[:, None]
            if other is not None:
                scores = scores * (their_stage == other)[None, :]
            self.their_best[code] = scores.max(axis=0, initial=0.0)
            self.own_best[code] = self._per_other(scores, counts)
        # Tags: own projects by how many of the other's tags they carry, and the reverse.
        own_tags = data.project_tags[start:end]
        self.own_best["shared_technology"] = dense(own_tags @ data.tags[others].T)
        self.their_best["shared_technology"] = dense(data.project_tags[theirs] @ data.tags[row].T)[
            :, 0
        ]

    def _per_other(self, scores: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Row maxima of ``scores`` within each other's columns (0 for one without projects)."""
        padded = np.hstack([scores, np.zeros((scores.shape[0], 1))])
        best = np.maximum.reduceat(padded, self.bounds[:-1], axis=1)
        return np.where(counts[None, :] > 0, best, 0.0)

    def projects(self, code: str, position: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Own and the other's project ids behind ``code``: up to MAX_PROJECTS each, best
        pair first, ties by id."""
        ranked = self._ranked.get(code)
        if ranked is None:
            ranked = self._ranked[code] = (
                _ranked_columns(self.own_ids, self.own_best[code]),
                _ranked_segments(self.their_ids, self.their_best[code], self.bounds),
            )
        return ranked[0][position], ranked[1][position]


def _ranked_columns(ids: np.ndarray, best: np.ndarray) -> list[tuple[int, ...]]:
    """Per column of ``best`` (ids × columns): the ids with a positive value, best first, ties
    by id, at most MAX_PROJECTS."""
    if best.shape[0] == 0:
        return [()] * best.shape[1]
    keys = (np.broadcast_to(ids[:, None], best.shape), -best)
    order = np.lexsort(keys, axis=0)[:MAX_PROJECTS]
    chosen = ids[order].T.tolist()
    counts = np.minimum((best > 0).sum(axis=0), MAX_PROJECTS).tolist()
    return [tuple(row[:count]) for row, count in zip(chosen, counts, strict=True)]


def _ranked_segments(
    ids: np.ndarray, best: np.ndarray, bounds: np.ndarray
) -> list[tuple[int, ...]]:
    """Per segment ``bounds[i]:bounds[i + 1]`` of ``best``: the ids with a positive value,
    best first, ties by id, at most MAX_PROJECTS."""
    segments = len(bounds) - 1
    segment = np.repeat(np.arange(segments), np.diff(bounds))
    order = np.lexsort((ids, -best, segment))
    rank = np.arange(len(order)) - bounds[segment[order]]
    kept = order[(rank < MAX_PROJECTS) & (best[order] > 0)]
    edges = np.searchsorted(segment[kept], np.arange(segments + 1)).tolist()
    chosen = ids[kept].tolist()
    return [tuple(chosen[a:b]) for a, b in pairwise(edges)]


def _project_reasons(
    data: IndexData,
    row: int,
    other: int,
    pairs: _ProjectPairs,
    position: int,
    scores: Mapping[str, float],
) -> list[Reason]:
    sets = data.sets
    topics = {
        "shared_plans": sets.planned[row] & sets.planned[other],
        "they_implemented": sets.planned[row] & sets.implemented[other],
        "we_implemented": sets.implemented[row] & sets.planned[other],
        "similar_text": frozenset(),
    }
    contributions = {
        "shared_plans": scores["shared_plans"],
        "they_implemented": scores["they_learning"] + scores["they_reuse"],
        "we_implemented": scores["we_implemented"],
        "similar_text": scores["similar_text"],
    }
    reasons = []
    for code, score in contributions.items():
        if score > 0:
            mine, theirs = pairs.projects(code, position)
            reasons.append(
                Reason(
                    code=code,
                    score=score,
                    topics=tuple(sorted(topics[code])),
                    projects=mine,
                    other_projects=theirs,
                    reuse=code == "they_implemented" and scores["they_reuse"] > 0,
                )
            )
    if scores["shared_technology"] > 0:
        mine, theirs = pairs.projects("shared_technology", position)
        reasons.append(
            Reason(
                code="shared_technology",
                score=scores["shared_technology"],
                tags=tuple(sorted(sets.tags[row] & sets.tags[other])),
                projects=mine,
                other_projects=theirs,
            )
        )
    return reasons


def _place_reasons(
    data: IndexData, row: int, other: int, scores: Mapping[str, float], km: float | None
) -> list[Reason]:
    """Distance, region, size, kind and survey: properties of the organizations themselves."""
    reasons = []
    if scores["distance"] > 0:
        reasons.append(Reason(code="distance", score=scores["distance"], distance_km=km))
    if scores["region"] > 0:
        region = "same_kreis" if scores["region_value"] >= 1 else "same_bezirk"
        reasons.append(Reason(code=region, score=scores["region"]))
    if scores["similar_size"] > 0:
        reasons.append(Reason(code="similar_size", score=scores["similar_size"]))
    if scores["same_kind"] > 0:
        reasons.append(Reason(code="same_kind", score=scores["same_kind"]))
    if scores["similar_survey"] > 0:
        features = data.sets.features[row] & data.sets.features[other]
        reasons.append(
            Reason(
                code="similar_survey",
                score=scores["similar_survey"],
                features=tuple(sorted(features)),
            )
        )
    return reasons
