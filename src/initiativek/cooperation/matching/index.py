"""The matching index: build once, then ask for partner suggestions and similar projects."""

import os
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

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

# recommend_all computes this many rows at a time: about 11 MB per signal at 11,000
# organizations, in each of up to MAX_WORKERS threads.
CHUNK_ROWS = 128
MAX_WORKERS = 2


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
        explain: bool = True,
    ) -> list[Suggestion]:
        """The best partners for ``organization_id``, never itself, none of ``exclude`` and,
        when ``candidates`` is given, only those (ids not in the index are ignored).

        With ``explain=False`` the suggestions come without reasons, which is much cheaper for
        a long list of which only a page is shown: :meth:`explain` gives the reasons of that
        page. Raises UnknownOrganization for an id not in the index.
        """
        row = self._row(organization_id)
        allowed = np.ones(self._data.n, dtype=bool)
        if candidates is not None:
            allowed[:] = False
            allowed[self._rows_of(candidates)] = True
        allowed[self._rows_of(exclude)] = False
        return self._suggest(np.array([row]), limit, allowed[None, :], explain=explain)[0]

    def explain(self, organization_id: int, others: Sequence[int]) -> list[Suggestion]:
        """The suggestions of ``others`` for ``organization_id``, in the given order, with
        scores and reasons exactly as :meth:`recommend` gives them (an organization that would
        not be suggested gets its score, 0 or more, and the reasons behind it).

        Raises UnknownOrganization for an id not in the index.
        """
        row = self._row(organization_id)
        columns = np.array([self._row(other) for other in others], dtype=np.int64)
        signals = score.active_signals(self.weights)
        if not signals or len(columns) == 0:
            return [Suggestion(organization_id=int(o), score=0.0, reasons=()) for o in others]
        rows = np.array([row])
        values = score.block(self._data, rows, score.components_for(signals))
        totals = score.total(values, self.weights, (1, self._data.n))
        return self._explained(row, columns, values, totals, 0)

    def recommend_all(
        self, *, limit: int = 10, workers: int | None = None
    ) -> dict[int, list[Suggestion]]:
        """``recommend(id, limit=limit)`` for every organization, computed in chunks of rows
        so that memory stays bounded. ``workers`` chunks (default: one per CPU, at most
        MAX_WORKERS) are computed at the same time in threads – NumPy and SciPy release the
        GIL in their loops, which take most of the time; the result is the same."""
        n = self._data.n
        if workers is None:
            workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))

        def chunk(start: int) -> list[list[Suggestion]]:
            rows = np.arange(start, min(start + CHUNK_ROWS, n))
            return self._suggest(rows, limit, np.ones((len(rows), n), dtype=bool))

        starts = range(0, n, CHUNK_ROWS)
        if workers > 1 and len(starts) > 1:
            with ThreadPoolExecutor(workers, thread_name_prefix="recommend-all") as pool:
                chunks = list(pool.map(chunk, starts))
        else:
            chunks = [chunk(start) for start in starts]
        ids = self._data.org_ids.tolist()
        return {ids[row]: lists for row, lists in enumerate(lists for c in chunks for lists in c)}

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

    def _suggest(
        self, rows: np.ndarray, limit: int, allowed: np.ndarray, *, explain: bool = True
    ) -> list[list[Suggestion]]:
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
        for position, row in enumerate(rows.tolist()):
            others = top(totals[position], allowed[position], limit)
            if explain:
                result.append(self._explained(row, others, values, totals, position))
            else:
                ids = data.org_ids[others].tolist()
                scores = totals[position, others].tolist()
                result.append(
                    [
                        Suggestion(organization_id=other, score=value, reasons=())
                        for other, value in zip(ids, scores, strict=True)
                    ]
                )
        return result

    def _explained(
        self,
        row: int,
        others: np.ndarray,
        values: dict[str, np.ndarray],
        totals: np.ndarray,
        position: int,
    ) -> list[Suggestion]:
        """Suggestions with reasons for ``row`` towards ``others``; ``values`` and ``totals``
        are the block of components and scores in which ``row`` is at ``position``."""
        chosen = {name: value[position, others] for name, value in values.items()}
        distances = score.distances_km(self._data, np.array([row]), others)[0]
        return explain.suggestions(
            self._data, self.weights, row, others, chosen, totals[position, others], distances
        )


def top(scores: np.ndarray, allowed: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` best allowed scores, best first; equal scores by index."""
    candidates = np.flatnonzero(allowed)
    if len(candidates) > limit:
        values = scores[candidates]
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        candidates = candidates[values >= threshold]  # ties at the threshold stay in
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:limit]]
