"""The whole results page for one viewer: the group selector and every question."""

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.utils.translation import ngettext

from ..models import Questionnaire
from .aggregate import Aggregate
from .compose import QuestionView, min_group_size, question_view
from .groups import ALL, KIND_BEZIRK, KIND_SIZE, Group
from .stats import decimal_display
from .suppression import Visibility
from .viewer import Viewer


@dataclass(frozen=True)
class GroupOption:
    key: str
    kind: str
    label: str
    selected: bool


@dataclass
class ResultsPage:
    questionnaire: Questionnaire
    threshold: int
    total: int
    has_demo: bool
    group: Group
    group_hidden: bool
    group_options: list[GroupOption]
    viewer: Viewer
    sections: list[tuple[str, list[QuestionView]]]
    visibility: Visibility

    @property
    def enough(self) -> bool:
        return self.total >= self.threshold

    @cached_property
    def base_query(self) -> str:
        """The chosen group and organization, for links that keep them."""
        params = {}
        if self.group.key != ALL:
            params["gruppe"] = self.group.key
        if len(self.viewer.organizations) > 1 and self.viewer.organization is not None:
            params["organisation"] = self.viewer.organization.slug
        return urlencode(params)

    def options_of(self, kind: str) -> list[GroupOption]:
        return [option for option in self.group_options if option.kind == kind]

    @property
    def size_options(self) -> list[GroupOption]:
        return self.options_of(KIND_SIZE)

    @property
    def bezirk_options(self) -> list[GroupOption]:
        return self.options_of(KIND_BEZIRK)


def _shown_groups(aggregate: Aggregate, visibility: Visibility) -> list[GroupOption]:
    """The shown groups with their number of responses, none selected. Hidden groups aren't
    offered: their name with "too few" would single out the small ones among those hidden to
    protect them."""
    options = []
    for group in aggregate.groups:
        if not visibility.group_shown(group.key):
            continue
        count = ngettext("%(count)s Antwort", "%(count)s Antworten", group.responses) % {
            "count": decimal_display(Decimal(group.responses), 0)
        }
        label = f"{group.label} ({count})"
        options.append(GroupOption(group.key, group.kind, label, False))
    return options


def _group_options(
    aggregate: Aggregate, selected: Group, visibility: Visibility
) -> list[GroupOption]:
    shown = aggregate.derived(
        ("group_options", visibility.threshold), lambda: _shown_groups(aggregate, visibility)
    )
    return [
        replace(option, selected=True) if option.key == selected.key else option for option in shown
    ]


def results_page(
    *,
    questionnaire: Questionnaire,
    aggregate: Aggregate,
    viewer: Viewer,
    group_key: str,
    with_questions: bool = True,
) -> ResultsPage:
    """Everything the results page shows for this viewer (without the questions if not
    ``with_questions``). An unknown ``group_key`` means all responses; a hidden group is named
    but shows no figures."""
    threshold = min_group_size()
    # Which groups a threshold shows is the same for every viewer.
    visibility = aggregate.derived(
        ("visibility", threshold), lambda: Visibility(aggregate, threshold)
    )
    group = aggregate.group(group_key) or aggregate.group(ALL)
    sections = []
    if with_questions and aggregate.total >= threshold:
        for title, pks in aggregate.sections:
            views = [
                question_view(aggregate.questions[pk], aggregate, group, viewer, visibility)
                for pk in pks
            ]
            if views:
                sections.append((title, views))
    return ResultsPage(
        questionnaire=questionnaire,
        threshold=threshold,
        total=aggregate.total,
        has_demo=aggregate.has_demo,
        group=group,
        group_hidden=not visibility.group_shown(group.key),
        group_options=_group_options(aggregate, group, visibility),
        viewer=viewer,
        sections=sections,
        visibility=visibility,
    )
