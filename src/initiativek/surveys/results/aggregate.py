"""The viewer-independent results of a questionnaire, computed once per change and cached.

Keyed by (questionnaire, ``results_version``, language): every saved response bumps the
version, and labels are translated into the cached object. The small-group threshold is *not*
applied here – it is read per request (``suppression``, ``compose``), so changing it takes
effect at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiativek.organizations import selectors as organization_selectors

from .. import selectors
from ..constants import SCALE_MAX, SCALE_MIN, QuestionKind
from ..models import Question, Questionnaire
from . import queries
from .groups import Group, cell_in_group, groups_for_cells
from .stats import (
    Bin,
    Summary,
    bin_index,
    decimal_display,
    histogram_merge,
    histogram_summary,
    number_bins,
    percent_bins,
)

CACHE_SECONDS = 60 * 60  # organizations' names and sizes may change without a new version
TEXTS_SHOWN = 20
CONTACTS_SHOWN = 5
OTHER = "other"


@dataclass(frozen=True)
class Bucket:
    """One bar: a choice (pk), "Sonstiges", yes/no, a scale value or a bin (index)."""

    key: Any
    label: str


@dataclass
class QuestionMeta:
    pk: int
    key: str
    text: str
    help_text: str
    kind: str
    is_retired: bool
    unit: str
    scale_min_label: str
    scale_max_label: str
    buckets: list[Bucket]
    bins: list[Bin] = field(default_factory=list)


@dataclass
class QuestionStats:
    answered: int
    counts: dict[Any, int]
    summary: Summary | None = None


@dataclass(frozen=True)
class TextEntry:
    text: str
    organization: str  # empty: without the organization's name
    url: str


@dataclass
class Contacts:
    total: int
    organizations: list[tuple[str, str]]  # (name, profile address)


@dataclass
class Aggregate:
    total: int
    has_demo: bool
    sections: list[tuple[str, list[int]]]
    questions: dict[int, QuestionMeta]
    groups: list[Group]
    stats: dict[str, dict[int, QuestionStats]]
    texts: dict[int, list[TextEntry]]
    text_totals: dict[int, int]
    contacts: dict[int, dict[Any, Contacts]]

    def group(self, key: str) -> Group | None:
        return next((group for group in self.groups if group.key == key), None)


def organization_url(slug: str) -> str:
    """The organization's profile (``Organization.get_absolute_url`` without loading it)."""
    return reverse("organizations:detail", kwargs={"slug": slug})


def text_entry(row: dict) -> TextEntry:
    """A text with its organization only where the response consented to named texts."""
    if row["response__consent_named_text"]:
        slug = row["response__organization__slug"]
        return TextEntry(row["shown"], row["response__organization__name"], organization_url(slug))
    return TextEntry(row["shown"], "", "")


def results_aggregate(*, questionnaire: Questionnaire) -> Aggregate:
    """The cached aggregate of the submitted responses (computed on a miss)."""
    key = ":".join(
        str(part)
        for part in (
            "surveys:results",
            questionnaire.pk,
            questionnaire.results_version,
            get_language(),
            # pk and version alone repeat after a database restore; the creation time doesn't
            int(questionnaire.created_at.timestamp() * 1_000_000),
        )
    )
    aggregate = cache.get(key)
    if aggregate is None:
        aggregate = aggregate_compute(questionnaire=questionnaire)
        cache.set(key, aggregate, CACHE_SECONDS)
    return aggregate


def _buckets(question: Question, bins: list[Bin], has_other: bool) -> list[Bucket]:
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        buckets = [Bucket(choice.pk, choice.label) for choice in question.choices.all()]
        if question.allow_other or has_other:
            buckets.append(Bucket(OTHER, _("Sonstiges")))
        return buckets
    if kind == QuestionKind.YES_NO:
        return [Bucket(True, _("Ja")), Bucket(False, _("Nein"))]
    if kind == QuestionKind.SCALE:
        ends = {SCALE_MIN: question.scale_min_label, SCALE_MAX: question.scale_max_label}
        return [
            Bucket(value, f"{value} – {ends[value]}" if ends.get(value) else str(value))
            for value in range(SCALE_MIN, SCALE_MAX + 1)
        ]
    return [Bucket(index, bin_label(question, item)) for index, item in enumerate(bins)]


def bin_label(question: Question, item: Bin) -> str:
    low, high = decimal_display(item.low), decimal_display(item.high)
    if item.low == item.high:
        label = low
    elif item.closed:
        label = _("%(low)s bis %(high)s") % {"low": low, "high": high}
    else:
        label = _("%(low)s bis unter %(high)s") % {"low": low, "high": high}
    if question.kind == QuestionKind.PERCENTAGE:
        return f"{label}\u00a0%"
    return f"{label} {question.unit}".strip()


def _bins(question: Question, histogram: dict[Decimal, int]) -> list[Bin]:
    if question.kind == QuestionKind.PERCENTAGE:
        return percent_bins()
    if question.kind == QuestionKind.NUMBER and histogram:
        return number_bins(min(histogram), max(histogram))
    return []


def _meta(question: Question, histogram: dict[Decimal, int], has_other: bool) -> QuestionMeta:
    bins = _bins(question, histogram)
    return QuestionMeta(
        pk=question.pk,
        key=question.key,
        text=question.text,
        help_text=question.help_text,
        kind=question.kind,
        is_retired=question.is_retired,
        unit=question.unit,
        scale_min_label=question.scale_min_label,
        scale_max_label=question.scale_max_label,
        buckets=_buckets(question, bins, has_other),
        bins=bins,
    )


def _in_group(cells: dict, group_key: str) -> list:
    return [
        value for (bezirk, size), value in cells.items() if cell_in_group(group_key, bezirk, size)
    ]


def _question_stats(meta: QuestionMeta, raw: dict, group_key: str) -> QuestionStats:
    """Sum the question's cells that belong to the group."""
    answered = _in_group(raw["answers"].get(meta.pk, {}), group_key)
    totals = {name: sum(cell[name] for cell in answered) for name in ("answered", "other")}
    counts: dict[Any, int] = defaultdict(int)
    summary = None
    if meta.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        for cell in _in_group(raw["choices"].get(meta.pk, {}), group_key):
            for choice_id, count in cell.items():
                counts[choice_id] += count
        counts[OTHER] = totals["other"]
    elif meta.kind == QuestionKind.YES_NO:
        counts[True] = sum(cell["yes"] for cell in answered)
        counts[False] = sum(cell["no"] for cell in answered)
    elif meta.kind != QuestionKind.TEXT:
        histogram = histogram_merge(_in_group(raw["numbers"].get(meta.pk, {}), group_key))
        summary = histogram_summary(histogram)
        for value, count in histogram.items():
            key = int(value) if meta.kind == QuestionKind.SCALE else bin_index(meta.bins, value)
            counts[key] += count
    return QuestionStats(answered=totals["answered"], counts=dict(counts), summary=summary)


def _texts(questionnaire: Questionnaire) -> dict[int, list[TextEntry]]:
    texts: dict[int, list[TextEntry]] = defaultdict(list)
    for row in queries.text_answers_first(questionnaire, TEXTS_SHOWN):
        texts[row["question_id"]].append(text_entry(row))
    return dict(texts)


def contacts_by_bucket(rows: list[queries.ContactRow]) -> dict[int, dict[Any, Contacts]]:
    contacts: dict[int, dict[Any, Contacts]] = defaultdict(dict)
    for row in rows:
        entry = contacts[row.question_id].setdefault(row.bucket, Contacts(row.total, []))
        entry.organizations.append((row.name, organization_url(row.slug)))
    return dict(contacts)


def aggregate_compute(*, questionnaire: Questionnaire) -> Aggregate:
    """Everything the results page shows that doesn't depend on who is looking."""
    structure = selectors.questionnaire_structure(questionnaire=questionnaire, include_retired=True)
    response_cells, has_demo = queries.response_cells(questionnaire)
    raw = {
        "answers": queries.answer_cells(questionnaire),
        "choices": queries.choice_cells(questionnaire),
        "numbers": queries.number_cells(questionnaire),
    }
    questions = {}
    for _section, section_questions in structure:
        for question in section_questions:
            histogram = histogram_merge(raw["numbers"].get(question.pk, {}).values())
            answers = raw["answers"].get(question.pk, {}).values()
            has_other = any(cell["other"] for cell in answers)
            questions[question.pk] = _meta(question, histogram, has_other)
    names = {
        region.key: region.name for region in organization_selectors.region_regierungsbezirke()
    }
    groups = groups_for_cells(response_cells, names)
    stats = {
        group.key: {pk: _question_stats(meta, raw, group.key) for pk, meta in questions.items()}
        for group in groups
    }
    text_totals = {
        pk: sum(cell["texts"] for cell in cells.values()) for pk, cells in raw["answers"].items()
    }
    return Aggregate(
        total=sum(response_cells.values()),
        has_demo=has_demo,
        sections=[(section.title, [q.pk for q in qs]) for section, qs in structure],
        questions=questions,
        groups=groups,
        stats=stats,
        texts=_texts(questionnaire),
        text_totals=text_totals,
        contacts=contacts_by_bucket(queries.contact_rows(questionnaire, limit=CONTACTS_SHOWN)),
    )
