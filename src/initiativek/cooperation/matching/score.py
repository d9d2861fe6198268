"""Signals for a block of organization rows against all organizations.

Every component is a dense ``len(rows) × n`` array with values in 0..1, computed with sparse
row × matrix products, so one row (``recommend``) and a chunk of rows (``recommend_all``) run
the same code and give the same numbers. Components:

- ``shared_plans``: half the saturated number of topics both plan, half the cosine of their
  planned project texts;
- ``they``: the other implemented what this one plans – half the saturated number of such
  topics, half the best cosine between this one's planned texts and one implemented project
  of the other (a maximum, so another implemented project never lowers it);
- ``we``: the same in the other direction; the ``learning`` signal is the mean of both;
- ``reuse``: like ``they``, counting only implemented projects that offer reuse;
- ``text``: cosine of all project texts; ``technology``: saturated number of shared tags;
- ``distance``: exp(−d / 50 km); ``region``: 1 same Kreis, 0.5 same Regierungsbezirk;
- ``size``: 1 − |Δ log10 population| / 2, at least 0; ``kind``: 1 for the same kind;
- ``survey``: Jaccard similarity of the questionnaire features.

Unknown coordinates, population, kind or Kreis give 0 for their component. The text cosines
here are between keyword profiles (text.py: each vector's strongest terms, without the terms
that occur in most texts), which keeps the sparse products sparse; the explanations compare
the full project texts.
"""

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from .data import FLOAT, IndexData, owned
from .model import SIGNALS, Weights

COMPONENTS = (
    "shared_plans",
    "they",
    "we",
    "reuse",
    "text",
    "technology",
    "distance",
    "region",
    "size",
    "kind",
    "survey",
)
EARTH_RADIUS_KM = 6371.0088
DISTANCE_SCALE_KM = 50.0


def components_for(signals: Iterable[str]) -> tuple[str, ...]:
    """The components behind the named signals (``learning`` is ``they`` and ``we``)."""
    wanted = set()
    for name in signals:
        wanted.update(("they", "we") if name == "learning" else (name,))
    return tuple(name for name in COMPONENTS if name in wanted)


def active_signals(weights: Weights) -> tuple[str, ...]:
    return tuple(name for name in SIGNALS if getattr(weights, name) > 0)


def signal_value(block: dict[str, np.ndarray], name: str) -> np.ndarray:
    """The unweighted signal ``name`` from the components of ``block``."""
    if name == "learning":
        return 0.5 * (block["they"] + block["we"])
    return block[name]


def total(block: dict[str, np.ndarray], weights: Weights, shape: tuple[int, int]) -> np.ndarray:
    """Σ weight × signal over the signals with a positive weight."""
    result = np.zeros(shape, dtype=FLOAT)
    term = np.empty(shape, dtype=FLOAT)  # one buffer for every term: large blocks, few passes
    for name in active_signals(weights):
        if name == "learning":
            np.add(block["they"], block["we"], out=term)
            term *= 0.5
            term *= weights.learning
        else:
            np.multiply(block[name], getattr(weights, name), out=term)
        result += term
    return result


def block(data: IndexData, rows: np.ndarray, components: Iterable[str]) -> dict[str, np.ndarray]:
    """The named components for organization ``rows`` (an int array) against all rows."""
    rows = np.asarray(rows, dtype=np.int64)
    result: dict[str, np.ndarray] = {}
    for name in components:
        if name in ("they", "reuse"):
            best = _best_implemented(data, rows, reuse=name == "reuse")
            topics_t = data.implemented_topics_t if name == "they" else data.reuse_topics_t
            shared = dense(data.planned_topics[rows] @ topics_t)
            result[name] = _halves(saturate(shared), best)
        else:
            result[name] = _COMPUTE[name](data, rows)
    return result


# 1 − 2^−k for k = 0 … 64; from 54 on it is 1.0 in float64, so larger counts take the last.
_SATURATED = 1.0 - np.exp2(-np.arange(65, dtype=FLOAT))


def saturate(counts: np.ndarray) -> np.ndarray:
    """0 for 0, ½ for 1, ¾ for 2, … – counts (whole numbers ≥ 0) made comparable with the
    other signals. A table look-up: the same numbers as 1 − 2^−count, a few times faster."""
    index = np.asarray(counts).astype(np.intp)
    np.minimum(index, len(_SATURATED) - 1, out=index)
    return _SATURATED.take(index)


def _halves(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0.5 × a + 0.5 × b, computed in place in ``a`` and ``b`` (the same numbers, fewer
    temporary arrays of rows × organizations)."""
    a *= 0.5
    b *= 0.5
    a += b
    return a


def dense(matrix: sp.spmatrix | np.ndarray) -> np.ndarray:
    if sp.issparse(matrix):
        matrix = matrix.toarray()
    return np.asarray(matrix, dtype=FLOAT)


def _shared_plans(data: IndexData, rows: np.ndarray) -> np.ndarray:
    topics = saturate(dense(data.planned_topics[rows] @ data.planned_topics_t))
    texts = dense(data.planned_text[rows] @ data.planned_text_t)
    return _halves(topics, np.clip(texts, 0.0, 1.0, out=texts))


def _best_implemented(data: IndexData, rows: np.ndarray, reuse: bool) -> np.ndarray:
    """Per (row, organization): the best cosine between the row's planned texts and one
    implemented project of the organization (with ``reuse``: one that offers reuse)."""
    matrix, owners = (
        (data.reuse_text_t, data.reuse_org) if reuse else (data.impl_text_t, data.impl_org)
    )
    similarities = data.planned_text[rows] @ matrix
    row_of = np.repeat(np.arange(len(rows), dtype=np.int64) * data.n, np.diff(similarities.indptr))
    return _group_max(row_of + owners[similarities.indices], similarities.data, (len(rows), data.n))


def _we(data: IndexData, rows: np.ndarray) -> np.ndarray:
    """What the rows implemented and the others plan (``they`` seen from the other side)."""
    projects, owner = owned(data.impl_indptr, rows)
    similarities = data.impl_text[projects] @ data.planned_text_t
    row_of = np.repeat(owner * data.n, np.diff(similarities.indptr))
    best = _group_max(row_of + similarities.indices, similarities.data, (len(rows), data.n))
    shared = dense(data.implemented_topics[rows] @ data.planned_topics_t)
    return _halves(saturate(shared), best)


def _group_max(flat: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The maximum of ``values`` per flat index into an array of ``shape`` (0 where none)."""
    best = np.zeros(shape[0] * shape[1], dtype=FLOAT)
    np.maximum.at(best, flat, values)
    return np.minimum(best, 1.0, out=best).reshape(shape)  # a cosine, up to rounding


def _text(data: IndexData, rows: np.ndarray) -> np.ndarray:
    texts = dense(data.all_text[rows] @ data.all_text_t)
    return np.clip(texts, 0.0, 1.0, out=texts)


def _technology(data: IndexData, rows: np.ndarray) -> np.ndarray:
    return saturate(dense(data.tags[rows] @ data.tags_t))


def distances_km(
    data: IndexData, rows: np.ndarray, columns: np.ndarray | None = None
) -> np.ndarray:
    """Great-circle distances (haversine) from ``rows`` to ``columns`` (default: all); NaN
    where one of both has no coordinates."""
    lat1, lon1 = data.lat[rows, None], data.lon[rows, None]
    if columns is None:
        lat2, lon2 = data.lat[None, :], data.lon[None, :]
    else:
        lat2, lon2 = data.lat[None, columns], data.lon[None, columns]
    # The haversine formula, in place on one array per term (the same numbers as written
    # out): h = sin²(Δlat / 2) + cos lat1 · cos lat2 · sin²(Δlon / 2).
    across = np.cos(lat1) * np.cos(lat2)
    half = np.subtract(lon2, lon1)
    half /= 2
    np.sin(half, out=half)
    np.square(half, out=half)
    across *= half
    h = np.subtract(lat2, lat1, out=half)
    h /= 2
    np.sin(h, out=h)
    np.square(h, out=h)
    h += across
    np.clip(h, 0.0, 1.0, out=h)
    np.sqrt(h, out=h)
    np.arcsin(h, out=h)
    h *= 2 * EARTH_RADIUS_KM
    return h


def _distance(data: IndexData, rows: np.ndarray) -> np.ndarray:
    closeness = np.negative(distances_km(data, rows))
    closeness /= DISTANCE_SCALE_KM
    np.exp(closeness, out=closeness)
    return np.nan_to_num(closeness, copy=False, nan=0.0)


def _region(data: IndexData, rows: np.ndarray) -> np.ndarray:
    same_kreis = (data.kreis[rows, None] == data.kreis[None, :]) & (data.kreis[rows, None] >= 0)
    same_bezirk = (data.bezirk[rows, None] == data.bezirk[None, :]) & (data.bezirk[rows, None] >= 0)
    return np.where(same_kreis, 1.0, np.where(same_bezirk, 0.5, 0.0))


def _size(data: IndexData, rows: np.ndarray) -> np.ndarray:
    gap = np.subtract(data.log_population[rows, None], data.log_population[None, :])
    np.abs(gap, out=gap)
    gap /= 2.0
    np.subtract(1.0, gap, out=gap)
    np.clip(gap, 0.0, 1.0, out=gap)
    return np.nan_to_num(gap, copy=False, nan=0.0)


def _kind(data: IndexData, rows: np.ndarray) -> np.ndarray:
    same = (data.kind[rows, None] == data.kind[None, :]) & (data.kind[rows, None] >= 0)
    return same.astype(FLOAT)


def _survey(data: IndexData, rows: np.ndarray) -> np.ndarray:
    shared = dense(data.features[rows] @ data.features_t)
    union = data.feature_counts[rows, None] + data.feature_counts[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


_COMPUTE = {
    "shared_plans": _shared_plans,
    "we": _we,
    "text": _text,
    "technology": _technology,
    "distance": _distance,
    "region": _region,
    "size": _size,
    "kind": _kind,
    "survey": _survey,
}
