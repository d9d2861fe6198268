"""“Wer hat so etwas schon umgesetzt?” – implemented projects like a given project.

For a project p and an implemented project q of another organization:
``learning`` = ½ saturated shared topics + ½ text cosine; the score is
weights.learning × learning + weights.reuse × learning (when q offers reuse)
+ weights.technology × saturated shared tags. Only projects sharing a topic or text qualify.
"""

import numpy as np
import scipy.sparse as sp

from .data import FLOAT, IndexData
from .model import ProjectMatch, Reason, UnknownProject, Weights
from .score import dense, saturate


def implemented_like(
    data: IndexData, weights: Weights, project_id: int, limit: int
) -> list[ProjectMatch]:
    try:
        row = data.project_pos[project_id]
    except (KeyError, TypeError):
        raise UnknownProject(project_id) from None
    if limit <= 0 or len(data.impl_rows) == 0:
        return []
    text = np.clip(dense(data.text[row] @ data.impl_full_text_t)[0], 0.0, 1.0)
    topics = _shared_topics(data, row)
    tags = dense(data.project_tags[row] @ data.impl_tags_t)[0]
    learning = 0.5 * saturate(topics) + 0.5 * text
    reuse = data.impl_reuse.astype(FLOAT)
    learned = (weights.learning + weights.reuse * reuse) * learning
    technology = weights.technology * saturate(tags)
    totals = learned + technology
    allowed = (learning > 0) & (totals > 0) & (data.impl_org != data.project_org[row])
    candidates = np.flatnonzero(allowed)
    chosen = _best(candidates, totals, data.project_ids[data.impl_rows[candidates]], limit)
    own = data.projects[row]
    result = []
    for column in chosen:
        other = data.projects[data.impl_rows[column]]
        reasons = [
            Reason(
                code="they_implemented",
                score=float(learned[column]),
                topics=tuple(sorted(frozenset(own.topics) & frozenset(other.topics))),
                projects=(own.id,),
                other_projects=(other.id,),
                reuse=bool(weights.reuse > 0 and reuse[column]),
            ),
            Reason(
                code="shared_technology",
                score=float(technology[column]),
                tags=tuple(sorted(frozenset(own.tags) & frozenset(other.tags))),
                projects=(own.id,),
                other_projects=(other.id,),
            ),
        ]
        result.append(
            ProjectMatch(
                project_id=other.id,
                organization_id=other.organization_id,
                score=float(totals[column]),
                reasons=tuple(sorted((r for r in reasons if r.score > 0), key=lambda r: -r.score)),
            )
        )
    return result


def _shared_topics(data: IndexData, row: int) -> np.ndarray:
    """Shared topics with every implemented project: the product of the project's topic row
    with the topic × implemented matrix, over the project's own topics only (a few rows of a
    wide matrix instead of all of them: the same sums, a fraction of the memory read)."""
    own = data.project_topics[row : row + 1]
    if sp.issparse(own) or sp.issparse(data.impl_topics_t):
        return dense(own @ data.impl_topics_t)[0]
    own = own[0]
    chosen = np.flatnonzero(own)
    if len(chosen) == 0:
        return np.zeros(data.impl_topics_t.shape[1], dtype=data.impl_topics_t.dtype)
    return own[chosen] @ data.impl_topics_t[chosen]


def _best(candidates: np.ndarray, totals: np.ndarray, ids: np.ndarray, limit: int) -> np.ndarray:
    """The ``limit`` candidates with the highest totals, ties by id – sorting only those that
    can be among them (every candidate at least as good as the limit-th best)."""
    scores = totals[candidates]
    if len(candidates) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold
        candidates, scores, ids = candidates[keep], scores[keep], ids[keep]
    return candidates[np.lexsort((ids, -scores))[:limit]]
