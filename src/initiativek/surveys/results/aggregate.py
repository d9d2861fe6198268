"""The viewer-independent results of a questionnaire, computed once per change and cached.

Keyed by (questionnaire, ``results_version``, language): every saved response bumps the
version, and labels are translated into the cached object. The small-group threshold is *not*
applied here – it is read per request (``suppression``, ``compose``), so changing it takes
effect at once.

Each process keeps the aggregates it last used in front of the shared cache: unpickling one
(every group's figures, the first texts, the contacts) costs more than the rest of the page's
data. A small stamp in the shared cache, written with the aggregate, says whether the kept
object is still the cached one – so expiry, ``cache.clear()`` and a computation by another
process take effect as before, at the price of one tiny cache read per request.
"""

import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiativek.organizations import selectors as organization_selectors

from .. import selectors
from ..constants import SCALE_MAX, SCALE_MIN, QuestionKind
from ..models import Question, Questionnaire
from . import queries
from .groups import Group, cell_groups, groups_for_cells
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
KEPT_PER_PROCESS = 4  # questionnaire × language (newest version); ≤ 15 MB each with all groups

T = TypeVar("T")


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
    # What is derived from this aggregate and the same for every viewer (formatted figures,
    # rendered lists), kept with it in the process; never pickled into the shared cache.
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_derived"] = {}
        return state

    def group(self, key: str) -> Group | None:
        return self._groups_by_key().get(key)

    def _groups_by_key(self) -> dict[str, Group]:
        return self.derived("groups", lambda: {group.key: group for group in self.groups})

    def derived(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for this aggregate. ``compute`` may only depend on
        the aggregate, the key and the language (part of the aggregate's cache key) – never on
        the viewer or the threshold unless the key holds them."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute()
            return value


def organization_url(slug: str) -> str:
    """The organization's profile (``Organization.get_absolute_url`` without loading it)."""
    return reverse("organizations:detail", kwargs={"slug": slug})


def text_entry(row: dict) -> TextEntry:
    """A text with its organization only where the response consented to named texts."""
    if row["response__consent_named_text"]:
        slug = row["response__organization__slug"]
        return TextEntry(row["shown"], row["response__organization__name"], organization_url(slug))
    return TextEntry(row["shown"], "", "")


# (questionnaire, language) → (cache key, stamp, aggregate): a new version replaces the old one
_kept: OrderedDict[tuple[int, str], tuple[str, str, Aggregate]] = OrderedDict()
_kept_lock = threading.Lock()


def _cache_key(questionnaire: Questionnaire) -> str:
    return ":".join(
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


def _keep(slot: tuple[int, str], key: str, stamp: str, aggregate: Aggregate) -> None:
    with _kept_lock:
        _kept[slot] = (key, stamp, aggregate)
        _kept.move_to_end(slot)
        while len(_kept) > KEPT_PER_PROCESS:
            _kept.popitem(last=False)


def results_aggregate(*, questionnaire: Questionnaire) -> Aggregate:
    """The cached aggregate of the submitted responses (computed on a miss).

    The shared cache holds ``(stamp, aggregate)`` under the key and the stamp alone under
    ``<key>:stamp``; the process's own copy is used while its stamp is the shared one."""
    key = _cache_key(questionnaire)
    stamp_key = f"{key}:stamp"
    stamp = cache.get(stamp_key)
    slot = (questionnaire.pk, get_language())
    kept = _kept.get(slot)
    if stamp is not None and kept is not None and kept[:2] == (key, stamp):
        return kept[2]
    entry = cache.get(key)
    if entry is None:
        entry = (uuid.uuid4().hex, aggregate_compute(questionnaire=questionnaire))
        cache.set_many({key: entry, stamp_key: entry[0]}, CACHE_SECONDS)
    elif stamp != entry[0]:  # the stamp expired or was evicted on its own
        cache.set(stamp_key, entry[0], CACHE_SECONDS)
    _keep(slot, key, *entry)
    return entry[1]


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


def _by_group(cells: dict, group_keys: set[str]) -> dict[str, list]:
    """A question's cells (cell → counts) as the list of counts of each group, in cell order."""
    grouped: dict[str, list] = defaultdict(list)
    for (bezirk, size), value in cells.items():
        for key in cell_groups(bezirk, size):
            if key in group_keys:
                grouped[key].append(value)
    return grouped


def _question_stats(meta: QuestionMeta, cells: dict[str, dict], group_key: str) -> QuestionStats:
    """Sum the question's cells that belong to the group (``cells``: the ``_by_group`` lists
    of answers, choices and numbers)."""
    answered = cells["answers"].get(group_key, [])
    totals = {name: sum(cell[name] for cell in answered) for name in ("answered", "other")}
    counts: dict[Any, int] = defaultdict(int)
    summary = None
    if meta.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        for cell in cells["choices"].get(group_key, []):
            for choice_id, count in cell.items():
                counts[choice_id] += count
        counts[OTHER] = totals["other"]
    elif meta.kind == QuestionKind.YES_NO:
        counts[True] = sum(cell["yes"] for cell in answered)
        counts[False] = sum(cell["no"] for cell in answered)
    elif meta.kind != QuestionKind.TEXT:
        histogram = histogram_merge(cells["numbers"].get(group_key, []))
        summary = histogram_summary(histogram)
        for value, count in histogram.items():
            key = int(value) if meta.kind == QuestionKind.SCALE else bin_index(meta.bins, value)
            counts[key] += count
    return QuestionStats(answered=totals["answered"], counts=dict(counts), summary=summary)


def _stats(
    questions: dict[int, QuestionMeta], raw: dict, groups: list[Group]
) -> dict[str, dict[int, QuestionStats]]:
    """Every question's figures in every group. Each cell is visited once per group it belongs
    to (at most three), not once per group."""
    keys = {group.key for group in groups}
    cells = {pk: {name: _by_group(raw[name].get(pk, {}), keys) for name in raw} for pk in questions}
    return {
        group.key: {
            pk: _question_stats(meta, cells[pk], group.key) for pk, meta in questions.items()
        }
        for group in groups
    }


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
    stats = _stats(questions, raw, groups)
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
