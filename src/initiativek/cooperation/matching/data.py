"""The index's matrices, built once from organizations and projects.

Rows of the organization matrices follow the organizations sorted by id, so a tie between two
scores is broken by id when the lower row wins. Projects are sorted by (organization row, id),
so one organization's projects – and its implemented projects – are contiguous rows.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .model import IMPLEMENTED, PLANNED, STAGES, MatchOrganization, MatchProject
from .text import ORGANIZATION_TERMS, PROJECT_TERMS, csr, tfidf, top_terms, without_frequent_terms

STAGE_CODE = {PLANNED: 0, IMPLEMENTED: 1}
OTHER_CODE = 2
FLOAT = np.float64
# Topic incidences with at most this many topics are kept dense (BLAS is faster than sparse
# products for a small taxonomy); the counts stay exact either way.
DENSE_TOPICS = 512


@dataclass(frozen=True)
class OrgSets:
    """Per organization row: what the explanations look up by set intersection."""

    planned: tuple[frozenset[int], ...]
    implemented: tuple[frozenset[int], ...]
    tags: tuple[frozenset[int], ...]
    features: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class IndexData:
    organizations: tuple[MatchOrganization, ...]
    org_ids: np.ndarray
    org_pos: dict[int, int]
    # projects, sorted by (organization row, id)
    projects: tuple[MatchProject, ...]
    project_ids: np.ndarray
    project_pos: dict[int, int]
    project_org: np.ndarray  # organization row of each project
    project_stage: np.ndarray  # 0 planned, 1 implemented, 2 other
    project_reuse: np.ndarray  # bool
    project_indptr: np.ndarray  # organization row i owns projects [indptr[i], indptr[i + 1])
    text: sp.csr_matrix  # project × term, TF-IDF, L2-normalised rows
    project_topics: sp.csr_matrix | np.ndarray  # project × topic, 0/1
    project_tags: sp.csr_matrix  # project × tag, 0/1
    topic_ids: np.ndarray
    tag_ids: np.ndarray
    # implemented projects (a subset of the rows above, in the same order)
    impl_rows: np.ndarray  # project row of each implemented project
    impl_org: np.ndarray  # organization row of each implemented project
    impl_reuse: np.ndarray  # bool
    impl_indptr: np.ndarray  # organization row i owns implemented [indptr[i], indptr[i + 1])
    reuse_org: np.ndarray  # organization row of each implemented project offering reuse
    reuse_text_t: sp.csr_matrix  # term × implemented project offering reuse
    impl_text: sp.csr_matrix  # implemented project × term
    impl_text_t: sp.csr_matrix  # term × implemented project, strongest terms only
    impl_full_text_t: sp.csr_matrix  # term × implemented project, all terms
    impl_topics_t: sp.csr_matrix  # topic × implemented project
    impl_tags_t: sp.csr_matrix  # tag × implemented project
    # organization × topic (0/1) and their transposes, dense for a small taxonomy
    planned_topics: sp.csr_matrix | np.ndarray
    planned_topics_t: sp.csr_matrix | np.ndarray
    implemented_topics_t: sp.csr_matrix | np.ndarray
    implemented_topics: sp.csr_matrix | np.ndarray
    reuse_topics_t: sp.csr_matrix | np.ndarray
    tags: sp.csr_matrix
    tags_t: sp.csr_matrix
    features: sp.csr_matrix
    features_t: sp.csr_matrix
    feature_counts: np.ndarray
    # organization × term: planned and all project texts, summed and L2-normalised
    planned_text: sp.csr_matrix
    planned_text_t: sp.csr_matrix
    all_text: sp.csr_matrix
    all_text_t: sp.csr_matrix
    # organization attributes
    lat: np.ndarray  # radians, NaN when unknown
    lon: np.ndarray
    kreis: np.ndarray  # code, -1 when unknown
    bezirk: np.ndarray
    log_population: np.ndarray  # log10, NaN when unknown
    kind: np.ndarray  # code, -1 when unknown
    sets: OrgSets

    @property
    def n(self) -> int:
        return len(self.organizations)


def build_data(
    organizations: Sequence[MatchOrganization],
    projects: Sequence[MatchProject],
    survey_features: Mapping[int, Iterable[str]] | None,
) -> IndexData:
    """The matrices for ``organizations`` and their ``projects``.

    Raises ValueError for duplicate ids or an unknown stage. Projects of organizations that are
    not given are left out (the caller may pass a filtered list of organizations).
    """
    orgs = tuple(sorted(organizations, key=lambda org: org.id))
    org_ids = np.array([org.id for org in orgs], dtype=np.int64)
    org_pos = {int(org_id): row for row, org_id in enumerate(org_ids)}
    if len(org_pos) != len(orgs):
        raise ValueError("Matching: doppelte Organisations-IDs.")
    kept = _sorted_projects(projects, org_pos)
    fields = _project_fields(kept, org_pos, len(orgs))
    features, feature_counts, feature_sets = _features(orgs, survey_features)
    return IndexData(
        organizations=orgs,
        org_ids=org_ids,
        org_pos=org_pos,
        **{name: value for name, value in fields.items() if not name.startswith("_")},
        **_implemented_fields(fields, len(orgs)),
        **_organization_matrices(fields, len(orgs)),
        features=features,
        features_t=csr(features.T),
        feature_counts=feature_counts,
        **_attributes(orgs),
        sets=OrgSets(
            planned=_row_sets(fields["_planned_topics"], fields["topic_ids"]),
            implemented=_row_sets(fields["_implemented_topics"], fields["topic_ids"]),
            tags=_row_sets(fields["_tags"], fields["tag_ids"]),
            features=feature_sets,
        ),
    )


def _project_fields(
    kept: Sequence[MatchProject], org_pos: Mapping[int, int], n: int
) -> dict[str, object]:
    """Per project: owner, stage, reuse, TF-IDF, topics, tags – and the sums per organization
    of what they plan, implement and carry (keys with "_" only help the other builders)."""
    m = len(kept)
    project_org = np.array([org_pos[p.organization_id] for p in kept], dtype=np.int64)
    stage = np.array([STAGE_CODE.get(p.stage, OTHER_CODE) for p in kept], dtype=np.int8)
    reuse = np.array([bool(p.reuse_offered) for p in kept], dtype=bool)
    text = tfidf([p.text for p in kept])
    topic_ids, project_topics = _incidence([p.topics for p in kept])
    tag_ids, project_tags = _incidence([p.tags for p in kept])
    membership = sp.csr_matrix((np.ones(m, dtype=FLOAT), (project_org, np.arange(m))), shape=(n, m))
    planned = _select_columns(membership, stage == 0)
    implemented = _select_columns(membership, stage == 1)
    reused = _select_columns(membership, (stage == 1) & reuse)
    specific = without_frequent_terms(text)
    return {
        "projects": tuple(kept),
        "project_ids": np.array([p.id for p in kept], dtype=np.int64),
        "project_pos": {p.id: row for row, p in enumerate(kept)},
        "project_org": project_org,
        "project_stage": stage,
        "project_reuse": reuse,
        "project_indptr": np.searchsorted(project_org, np.arange(n + 1)),
        "text": text,
        "project_topics": _small(project_topics),
        "project_tags": project_tags,
        "topic_ids": topic_ids,
        "tag_ids": tag_ids,
        "_membership": membership,
        "_keywords": top_terms(specific, PROJECT_TERMS),
        "_specific": specific,
        "_topics": project_topics,
        "_planned": planned,
        "_planned_topics": _binary(planned @ project_topics),
        "_implemented_topics": _binary(implemented @ project_topics),
        "_reuse_topics": _binary(reused @ project_topics),
        "_tags": _binary(membership @ project_tags),
    }


def _implemented_fields(fields: dict, n: int) -> dict[str, object]:
    """The implemented projects (those offering reuse separately), in project order."""
    stage, reuse, project_org = (
        fields["project_stage"],
        fields["project_reuse"],
        fields["project_org"],
    )
    impl_rows = np.flatnonzero(stage == 1)
    reuse_rows = np.flatnonzero((stage == 1) & reuse)
    impl_text = csr(fields["_keywords"][impl_rows])
    return {
        "impl_rows": impl_rows,
        "impl_org": project_org[impl_rows].astype(np.int32),
        "impl_reuse": reuse[impl_rows],
        "impl_indptr": np.searchsorted(project_org[impl_rows], np.arange(n + 1)),
        "reuse_org": project_org[reuse_rows].astype(np.int32),
        "reuse_text_t": csr(fields["_keywords"][reuse_rows].T),
        "impl_text": impl_text,
        "impl_text_t": csr(impl_text.T),
        "impl_full_text_t": csr(fields["text"][impl_rows].T),
        "impl_topics_t": _small(fields["_topics"][impl_rows].T),
        "impl_tags_t": csr(fields["project_tags"][impl_rows].T),
    }


def _organization_matrices(fields: dict, n: int) -> dict[str, object]:
    """Organization × topic, tag and term matrices (and transposes for the products)."""
    planned_text = top_terms(fields["_planned"] @ fields["_specific"], ORGANIZATION_TERMS)
    all_text = top_terms(fields["_membership"] @ fields["_specific"], ORGANIZATION_TERMS)
    tags = fields["_tags"]
    return {
        "planned_topics": _small(fields["_planned_topics"]),
        "planned_topics_t": _small(fields["_planned_topics"].T),
        "implemented_topics": _small(fields["_implemented_topics"]),
        "implemented_topics_t": _small(fields["_implemented_topics"].T),
        "reuse_topics_t": _small(fields["_reuse_topics"].T),
        "tags": tags,
        "tags_t": csr(tags.T),
        "planned_text": planned_text,
        "planned_text_t": csr(planned_text.T),
        "all_text": all_text,
        "all_text_t": csr(all_text.T),
    }


def _sorted_projects(
    projects: Sequence[MatchProject], org_pos: Mapping[int, int]
) -> tuple[MatchProject, ...]:
    seen: set[int] = set()
    for project in projects:
        if project.id in seen:
            raise ValueError(f"Matching: doppelte Projekt-ID {project.id}.")
        seen.add(project.id)
        if project.stage not in STAGES:
            raise ValueError(
                f"Matching: Projekt {project.id} hat den unbekannten Stand {project.stage!r}."
            )
    kept = [p for p in projects if p.organization_id in org_pos]
    return tuple(sorted(kept, key=lambda p: (org_pos[p.organization_id], p.id)))


def _small(matrix: sp.spmatrix) -> sp.csr_matrix | np.ndarray:
    """A topic incidence: dense when the taxonomy is small, else CSR."""
    if len(matrix.shape) == 2 and min(matrix.shape) <= DENSE_TOPICS:
        return np.ascontiguousarray(matrix.toarray(), dtype=FLOAT)
    return csr(matrix)


def _binary(matrix: sp.spmatrix) -> sp.csr_matrix:
    matrix = csr(matrix)
    matrix.eliminate_zeros()
    matrix.data = np.ones_like(matrix.data)
    return matrix


def _select_columns(matrix: sp.csr_matrix, mask: np.ndarray) -> sp.csr_matrix:
    """``matrix`` with the columns outside ``mask`` zeroed (shape unchanged)."""
    return csr(matrix @ sp.diags(mask.astype(FLOAT)))


def _incidence(item_sets: Sequence[Iterable[int]]) -> tuple[np.ndarray, sp.csr_matrix]:
    """The distinct ids of ``item_sets`` (sorted) and the row × id 0/1 matrix."""
    ids = np.array(sorted({int(item) for items in item_sets for item in items}), dtype=np.int64)
    column = {int(item): index for index, item in enumerate(ids)}
    rows = [row for row, items in enumerate(item_sets) for _ in set(items)]
    columns = [column[int(item)] for items in item_sets for item in set(items)]
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=FLOAT), (rows, columns)), shape=(len(item_sets), len(ids))
    )
    return ids, csr(matrix)


def _row_sets(matrix: sp.csr_matrix, ids: np.ndarray) -> tuple[frozenset[int], ...]:
    return tuple(
        frozenset(ids[matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]].tolist())
        for row in range(matrix.shape[0])
    )


def _features(
    orgs: Sequence[MatchOrganization], survey_features: Mapping[int, Iterable[str]] | None
) -> tuple[sp.csr_matrix, np.ndarray, tuple[frozenset[str], ...]]:
    survey_features = survey_features or {}
    feature_sets = tuple(frozenset(str(f) for f in survey_features.get(org.id, ())) for org in orgs)
    labels = sorted(set().union(*feature_sets)) if feature_sets else []
    column = {label: index for index, label in enumerate(labels)}
    rows = [row for row, features in enumerate(feature_sets) for _ in features]
    columns = [column[label] for features in feature_sets for label in features]
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=FLOAT), (rows, columns)), shape=(len(orgs), len(labels))
    )
    counts = np.array([len(features) for features in feature_sets], dtype=FLOAT)
    return csr(matrix), counts, feature_sets


def _codes(values: Sequence[str | None]) -> np.ndarray:
    """Equal non-empty values get equal codes ≥ 0; None and "" get -1."""
    codes: dict[str, int] = {}
    return np.array(
        [codes.setdefault(value, len(codes)) if value else -1 for value in values],
        dtype=np.int64,
    )


def _attributes(orgs: Sequence[MatchOrganization]) -> dict[str, np.ndarray]:
    def coordinate(value: float | None) -> float:
        if value is None or not np.isfinite(value):
            return np.nan
        return float(np.radians(value))

    lat = np.array([coordinate(org.latitude) for org in orgs], dtype=FLOAT)
    lon = np.array([coordinate(org.longitude) for org in orgs], dtype=FLOAT)
    missing = np.isnan(lat) | np.isnan(lon)
    lat[missing] = np.nan
    lon[missing] = np.nan
    population = np.array(
        [org.population if org.population and org.population > 0 else np.nan for org in orgs],
        dtype=FLOAT,
    )
    return {
        "lat": lat,
        "lon": lon,
        "kreis": _codes([org.kreis for org in orgs]),
        # The first three digits of a Kreis key are its Regierungsbezirk.
        "bezirk": _codes([org.bezirk or (org.kreis[:3] if org.kreis else None) for org in orgs]),
        "log_population": np.log10(population),
        "kind": _codes([org.kind for org in orgs]),
    }


def owned(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries ``indptr`` gives each of ``rows``, and the position in ``rows`` of each."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets, owner
