"""The matching index: build once, then ask for partner suggestions and similar projects."""

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from . import explain, score
from .data import IndexData, build_data
from .model import (
    SIGNALS,
    MatchOrganization,
    MatchProject,
    ProjectMatch,
    Suggestion,
    UnknownOrganization,
    Weights,
)
from .projects import implemented_like

# recommend_all computes this many rows at a time: about 25 MB per signal at 11,000 organizations.
CHUNK_ROWS = 256


class MatchIndex:
    """Partner suggestions over a fixed set of organizations and projects.

    Build it with :meth:`build`; it is read-only afterwards and safe to share between threads.
    Suggestions are ranked by score (Σ weight × signal, every signal in 0..1), ties by
    organization id; only organizations with a positive score are suggested.
    """

    def __init__(self, data: IndexData, weights: Weights) -> None:
        self._data = data
        self.weights = weights

    @classmethod
    def build(
        cls,
        organizations: Sequence[MatchOrganization],
        projects: Sequence[MatchProject],
        *,
        weights: Weights = Weights(),  # noqa: B008 – frozen, so one shared default is safe
        survey_features: Mapping[int, frozenset[str]] | None = None,
    ) -> "MatchIndex":
        """The index of ``organizations`` and ``projects`` (projects of organizations not
        given are left out). ``survey_features`` maps organization ids to questionnaire
        features such as "Hindernis: Bandbreite". Raises ValueError for duplicate ids."""
        return cls(build_data(organizations, projects, survey_features), weights)

    def __len__(self) -> int:
        return self._data.n

    def recommend(
        self,
        organization_id: int,
        *,
        limit: int = 20,
        exclude: Collection[int] = (),
        candidates: Collection[int] | None = None,
    ) -> list[Suggestion]:
        """The best partners for ``organization_id``, never itself, none of ``exclude`` and,
        when ``candidates`` is given, only those (ids not in the index are ignored).

        Raises UnknownOrganization for an id not in the index.
        """
        row = self._row(organization_id)
        allowed = np.ones(self._data.n, dtype=bool)
        if candidates is not None:
            allowed[:] = False
            allowed[self._rows_of(candidates)] = True
        allowed[self._rows_of(exclude)] = False
        return self._suggest(np.array([row]), limit, allowed[None, :])[0]

    def recommend_all(self, *, limit: int = 10) -> dict[int, list[Suggestion]]:
        """``recommend(id, limit=limit)`` for every organization, computed in chunks of rows
        so that memory stays bounded."""
        result: dict[int, list[Suggestion]] = {}
        n = self._data.n
        for start in range(0, n, CHUNK_ROWS):
            rows = np.arange(start, min(start + CHUNK_ROWS, n))
            allowed = np.ones((len(rows), n), dtype=bool)
            for chunk_row, lists in zip(rows, self._suggest(rows, limit, allowed), strict=True):
                result[int(self._data.org_ids[chunk_row])] = lists
        return result

    def implemented_like(self, project_id: int, *, limit: int = 10) -> list[ProjectMatch]:
        """Implemented projects of other organizations like ``project_id``: shared topics and
        text (learning), reuse offered, shared tags. Raises UnknownProject."""
        return implemented_like(self._data, self.weights, project_id, limit)

    def distance_km(self, a: int, b: int) -> float | None:
        """The great-circle distance, None when one of both has no coordinates."""
        km = score.distances_km(self._data, np.array([self._row(a)]))[0, self._row(b)]
        return None if np.isnan(km) else float(km)

    def signal(self, name: str, a: int, b: int) -> float:
        """The unweighted signal ``name`` (a Weights field) from ``a`` towards ``b``."""
        if name not in SIGNALS:
            raise ValueError(f"Unbekanntes Signal {name!r}; bekannt sind {', '.join(SIGNALS)}.")
        row, other = self._row(a), self._row(b)
        values = score.block(self._data, np.array([row]), score.components_for([name]))
        return float(score.signal_value(values, name)[0, other])

    def _row(self, organization_id: int) -> int:
        try:
            return self._data.org_pos[organization_id]
        except (KeyError, TypeError):
            raise UnknownOrganization(organization_id) from None

    def _rows_of(self, ids: Collection[int]) -> np.ndarray:
        pos = self._data.org_pos
        return np.array([pos[i] for i in ids if i in pos], dtype=np.int64)

    def _suggest(self, rows: np.ndarray, limit: int, allowed: np.ndarray) -> list[list[Suggestion]]:
        """Suggestions for each of ``rows``; ``allowed`` masks the others per row."""
        data, weights = self._data, self.weights
        signals = score.active_signals(weights)
        if limit <= 0 or not signals or data.n < 2:
            return [[] for _ in rows]
        values = score.block(data, rows, score.components_for(signals))
        totals = score.total(values, weights, (len(rows), data.n))
        allowed = allowed & (totals > 0)
        allowed[np.arange(len(rows)), rows] = False
        result = []
        for position, row in enumerate(rows):
            others = top(totals[position], allowed[position], limit)
            chosen = {name: value[position, others] for name, value in values.items()}
            distances = score.distances_km(data, np.array([row]), others)[0]
            result.append(
                explain.suggestions(
                    data, weights, int(row), others, chosen, totals[position, others], distances
                )
            )
        return result


def top(scores: np.ndarray, allowed: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` best allowed scores, best first; equal scores by index."""
    candidates = np.flatnonzero(allowed)
    if len(candidates) > limit:
        values = scores[candidates]
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        candidates = candidates[values >= threshold]  # ties at the threshold stay in
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:limit]]
