"""The engine's plain data: what goes in (organizations, projects, weights) and what comes out
(suggestions with their reasons). No Django here; the cooperation app converts its models."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

PLANNED = "planned"
IMPLEMENTED = "implemented"
OTHER = "other"
STAGES = frozenset({PLANNED, IMPLEMENTED, OTHER})


class UnknownOrganization(KeyError):
    """The organization id is not in the index."""


class UnknownProject(KeyError):
    """The project id is not in the index."""


@dataclass(frozen=True, slots=True)
class MatchOrganization:
    id: int
    name: str
    kind: str
    population: int | None
    latitude: float | None
    longitude: float | None
    kreis: str | None  # 5-digit Kreis key ("08436")
    bezirk: str | None  # 3-digit Regierungsbezirk key ("084"); derived from kreis when None


@dataclass(frozen=True, slots=True)
class MatchProject:
    id: int
    organization_id: int
    title: str
    stage: str  # PLANNED, IMPLEMENTED or OTHER (stopped etc.: only text and tags count)
    topics: frozenset[int]
    tags: frozenset[int]
    text: str  # title + summary + description, raw German text
    reuse_offered: bool


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts. Every signal lies in 0..1, so the weights compare directly."""

    shared_plans: float = 3.0
    learning: float = 3.0
    reuse: float = 1.0
    text: float = 2.0
    technology: float = 1.0
    distance: float = 1.0
    region: float = 0.5
    size: float = 0.5
    kind: float = 0.5
    survey: float = 1.0

    def __post_init__(self) -> None:
        for name in SIGNALS:
            _check_weight(name, getattr(self, name))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> "Weights":
        """Weights from a settings mapping; names left out keep their defaults.

        Raises ValueError naming the offending key for unknown names, non-numbers (booleans
        included), NaN, infinity and negative values.
        """
        if not isinstance(mapping, Mapping):
            raise ValueError(
                "Matching-Gewichte: erwartet wird ein Mapping Name → Zahl, nicht "
                f"{type(mapping).__name__}."
            )
        unknown = sorted(str(key) for key in mapping if key not in SIGNALS)
        if unknown:
            raise ValueError(
                f"Matching-Gewichte: unbekannter Name {', '.join(map(repr, unknown))}; "
                f"erlaubt sind {', '.join(SIGNALS)}."
            )
        values = {}
        for name, value in mapping.items():
            _check_weight(name, value)
            values[name] = float(value)  # type: ignore[arg-type]
        return cls(**values)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in SIGNALS}


def _check_weight(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"Matching-Gewichte: {name!r} muss eine Zahl sein, nicht {value!r} "
            f"({type(value).__name__})."
        )
    if not math.isfinite(value):
        raise ValueError(f"Matching-Gewichte: {name!r} muss endlich sein, nicht {value!r}.")
    if value < 0:
        raise ValueError(f"Matching-Gewichte: {name!r} darf nicht negativ sein ({value!r}).")


SIGNALS: tuple[str, ...] = tuple(field.name for field in fields(Weights))

# Reason codes, in the order reasons with equal scores are listed.
REASON_CODES: tuple[str, ...] = (
    "they_implemented",
    "we_implemented",
    "shared_plans",
    "similar_text",
    "shared_technology",
    "distance",
    "same_kreis",
    "same_bezirk",
    "similar_size",
    "same_kind",
    "similar_survey",
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a suggestion. ``projects`` are the asking organization's own projects,
    ``other_projects`` the suggested organization's; ``score`` is the weighted contribution."""

    code: str
    score: float
    topics: tuple[int, ...] = ()
    projects: tuple[int, ...] = ()
    other_projects: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    distance_km: float | None = None
    reuse: bool = False
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    organization_id: int
    score: float
    reasons: tuple[Reason, ...]  # non-zero reasons, highest score first


@dataclass(frozen=True, slots=True)
class ProjectMatch:
    project_id: int  # an implemented project of another organization
    organization_id: int
    score: float
    reasons: tuple[Reason, ...]
