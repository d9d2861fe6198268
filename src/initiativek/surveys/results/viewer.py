"""Whose answer the results highlight: the viewer's organization, its response and groups."""

from dataclasses import dataclass, field
from typing import Any

from initiativek.organizations.models import Organization

from .. import selectors
from ..constants import QuestionKind, ResponseStatus
from ..engine import AnswerValue, value_display
from ..models import Questionnaire
from .aggregate import OTHER, QuestionMeta
from .groups import bezirk_key, organization_bezirk, organization_size_class, size_key
from .stats import bin_index


@dataclass
class Viewer:
    """Whose answer is highlighted: the chosen organization, its response and its groups."""

    organizations: list[Organization]
    organization: Organization | None = None
    status: str = ""  # "", or the response's status
    values: dict[int, AnswerValue] = field(default_factory=dict)
    size_group: str = ""
    bezirk_group: str = ""

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT


def viewer_for(*, user: Any, questionnaire: Questionnaire, org_slug: str) -> Viewer:
    """The viewer's organization (``org_slug`` among theirs, else the first) and its answers."""
    organizations = selectors.viewer_organizations(user=user)
    viewer = Viewer(organizations=organizations)
    if not organizations:
        return viewer
    chosen = next((org for org in organizations if org.slug == org_slug), organizations[0])
    viewer.organization = chosen
    response = selectors.response_for(questionnaire=questionnaire, organization=chosen)
    if response is not None:
        viewer.status = response.status
        viewer.values = selectors.response_values(response=response)
    size = organization_size_class(chosen)
    bezirk = organization_bezirk(chosen)
    viewer.size_group = size_key(size) if size is not None else ""
    viewer.bezirk_group = bezirk_key(bezirk) if bezirk else ""
    return viewer


def own_buckets(meta: QuestionMeta, value: AnswerValue) -> set:
    """The bars the viewer's answer falls into."""
    if value.is_empty:
        return set()
    if meta.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return set(value.choice_ids) | ({OTHER} if value.other else set())
    if meta.kind == QuestionKind.YES_NO:
        return {value.boolean}
    if meta.kind == QuestionKind.SCALE and value.number is not None:
        return {int(value.number)}
    if meta.kind in (QuestionKind.PERCENTAGE, QuestionKind.NUMBER):
        index = bin_index(meta.bins, value.number)
        return set() if index is None else {index}
    return set()


def own_display(meta: QuestionMeta, value: AnswerValue) -> str:
    if meta.kind == QuestionKind.SCALE:  # with the meaning of the end points
        labels = {bucket.key: bucket.label for bucket in meta.buckets}
        return labels.get(int(value.number), "") if value.number is not None else ""
    choices = {bucket.key: bucket.label for bucket in meta.buckets if bucket.key != OTHER}
    return value_display(meta, value, labels=choices)
