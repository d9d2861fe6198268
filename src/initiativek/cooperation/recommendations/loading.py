"""The matching engine's input, read from the database.

Candidates are the member organizations of the initiative without partner companies; their
published projects are the engine's projects. A few queries for the whole data set, whatever
its size: relations are read from the through tables, not per object.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from initiativek.cooperation.matching import (
    IMPLEMENTED,
    OTHER,
    PLANNED,
    MatchOrganization,
    MatchProject,
)
from initiativek.organizations.constants import OrganizationKind
from initiativek.organizations.models import Organization
from initiativek.organizations.selectors import organization_region_keys, region_key_part
from initiativek.projects.constants import ProjectStatus, Publication
from initiativek.projects.models import Project
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Question, Questionnaire

# The seeded home-office questionnaire and its question about obstacles
# (surveys/definitions.py, HOMEOFFICE): shared obstacles are the survey signal.
SURVEY_SLUG = "homeoffice-corona"
SURVEY_OBSTACLES_KEY = "hindernisse"
OBSTACLE_PREFIX = "Hindernis: "

STAGES = {
    ProjectStatus.IDEA: PLANNED,
    ProjectStatus.PLANNED: PLANNED,
    ProjectStatus.IN_PROGRESS: IMPLEMENTED,
    ProjectStatus.DONE: IMPLEMENTED,
}


@dataclass(frozen=True)
class MatchData:
    organizations: list[MatchOrganization]
    projects: list[MatchProject]
    survey_features: dict[int, frozenset[str]]


def project_stage(status: str) -> str:
    """Idea and planned → PLANNED; in progress and done → IMPLEMENTED; else OTHER."""
    return STAGES.get(status, OTHER)


def candidate_organizations() -> QuerySet[Organization]:
    """Organizations that get and are given recommendations: members, not partner companies."""
    return Organization.objects.filter(is_member=True).exclude(kind=OrganizationKind.PARTNER)


def candidate_projects() -> QuerySet[Project]:
    return Project.objects.filter(
        publication=Publication.PUBLISHED,
        owner__is_member=True,
    ).exclude(owner__kind=OrganizationKind.PARTNER)


def _coordinates(organization: Organization) -> tuple[float | None, float | None]:
    """Own coordinates, else the parent's, else those of the region."""
    parent = organization.parent
    for source in (organization, parent, organization.region):
        if source is not None and source.latitude is not None and source.longitude is not None:
            return float(source.latitude), float(source.longitude)
    return None, None


def match_organization(organization: Organization) -> MatchOrganization:
    keys = organization_region_keys(organization)
    latitude, longitude = _coordinates(organization)
    return MatchOrganization(
        id=organization.pk,
        name=organization.name,
        kind=organization.kind,
        population=organization.population,
        latitude=latitude,
        longitude=longitude,
        kreis=region_key_part(keys, 5),
        bezirk=region_key_part(keys, 3),
    )


def _relation_ids(through: Any, field: str, project_ids: QuerySet) -> dict[int, set[int]]:
    related: dict[int, set[int]] = defaultdict(set)
    rows = through.objects.filter(project_id__in=project_ids).values_list("project_id", field)
    for project_id, other_id in rows.iterator(chunk_size=5000):
        related[project_id].add(other_id)
    return related


def _load_projects() -> list[MatchProject]:
    projects = candidate_projects()
    ids = projects.values("pk")
    topics = _relation_ids(Project.topics.through, "topic_id", ids)
    tags = _relation_ids(Project.technologies.through, "tag_id", ids)
    for project_id, tag_ids in _relation_ids(Project.vendors.through, "tag_id", ids).items():
        tags[project_id] |= tag_ids
    rows = projects.order_by("pk").values_list(
        "pk", "owner_id", "title", "summary", "description", "status", "reuse_offered"
    )
    return [
        MatchProject(
            id=pk,
            organization_id=owner_id,
            title=title,
            stage=project_stage(status),
            topics=frozenset(topics.get(pk, ())),
            tags=frozenset(tags.get(pk, ())),
            text="\n".join(part for part in (title, summary, description) if part),
            reuse_offered=reuse_offered,
        )
        for pk, owner_id, title, summary, description, status, reuse_offered in rows.iterator(
            chunk_size=2000
        )
    ]


def _obstacles_question() -> Question | None:
    return (
        Question.objects.filter(
            questionnaire__slug=SURVEY_SLUG, key=SURVEY_OBSTACLES_KEY, is_retired=False
        )
        .only("pk")
        .first()
    )


def survey_features() -> dict[int, frozenset[str]]:
    """Organization id → "Hindernis: <choice>" for the obstacles it named in its submitted
    answer to the home-office questionnaire – only of responses with ``consent_contact``;
    empty when that questionnaire does not exist."""
    question = _obstacles_question()
    if question is None:
        return {}
    rows = Answer.choices.through.objects.filter(
        answer__question=question,
        answer__response__status=ResponseStatus.SUBMITTED,
        # The questionnaire promises that others see who answered what only with this
        # consent; the reasons name the obstacles two organizations share, so answers given
        # without it must not take part at all.
        answer__response__consent_contact=True,
        answer__response__organization__in=candidate_organizations().values("pk"),
    ).values_list("answer__response__organization_id", "choice__label")
    features: dict[int, set[str]] = defaultdict(set)
    for organization_id, label in rows:
        features[organization_id].add(f"{OBSTACLE_PREFIX}{label}")
    return {key: frozenset(value) for key, value in features.items()}


def match_data_load() -> MatchData:
    """Everything the engine needs, in a handful of queries."""
    organizations = candidate_organizations().select_related("region", "parent", "parent__region")
    return MatchData(
        organizations=[match_organization(organization) for organization in organizations],
        projects=_load_projects(),
        survey_features=survey_features(),
    )


def data_signature() -> tuple:
    """Cheap to compute, changes whenever the engine's input changes: counts, highest ids and
    latest changes of candidate organizations and their published projects, and the version
    of the questionnaire results."""
    aggregates = {"n": Count("pk"), "last": Max("updated_at"), "top": Max("pk")}
    organizations = candidate_organizations().aggregate(**aggregates)
    projects = candidate_projects().aggregate(**aggregates)
    survey = Questionnaire.objects.filter(slug=SURVEY_SLUG).values_list("results_version").first()
    return (
        tuple(organizations[key] for key in ("n", "last", "top")),
        tuple(projects[key] for key in ("n", "last", "top")),
        survey,
    )
