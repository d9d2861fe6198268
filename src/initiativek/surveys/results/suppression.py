"""Which comparison groups a results page may show: primary and secondary suppression.

A group with fewer responses than the threshold – or, for one question, fewer answers – is not
shown (primary suppression). That alone isn't enough: "alle" minus the shown Regierungsbezirke
is the one hidden Regierungsbezirk. So, as statistical offices do, each partition of "alle" is
treated as a set of cells – the size classes plus the organizations without a population, the
Regierungsbezirke plus those without one – and further cells are hidden (secondary
suppression) until the hidden cells together hold nothing or at least the threshold: what
subtraction then yields is the sum of several groups, none of them small on its own. The
remainder cells are never shown, so they count as hidden from the start.

Pure computation on the cached aggregate, per request (the threshold is read per request); no
queries. The group level (responses) comes first; a question hides at least the groups hidden at
that level, then suppresses on its own answered counts.
"""

from collections.abc import Collection

from .aggregate import Aggregate
from .groups import ALL, KIND_BEZIRK, KIND_SIZE

PARTITIONS = (KIND_SIZE, KIND_BEZIRK)
REMAINDER = ""  # the never-shown cell of a partition: no size class, no Regierungsbezirk


def partition_shown(
    cells: dict[str, int], threshold: int, hidden: Collection[str] = ()
) -> set[str]:
    """The keys of ``cells`` (one partition in display order, key → count, adding up to a
    shown total) that may be shown.

    Shown are cells of at least ``threshold`` that aren't in ``hidden``; then, while the other
    cells together hold more than nothing but less than ``threshold``, the smallest shown cell
    is hidden as well (ties: the first in order). Empty cells reveal nothing and are never
    hidden to protect another one.
    """
    shown = [key for key, count in cells.items() if count >= threshold and key not in hidden]
    hidden_total = sum(count for key, count in cells.items() if key not in shown)
    while 0 < hidden_total < threshold and shown:
        smallest = min(shown, key=cells.__getitem__)
        shown.remove(smallest)
        hidden_total += cells[smallest]
    return set(shown)


class Visibility:
    """The groups shown at the group level (``groups``) and per question, for one threshold."""

    def __init__(self, aggregate: Aggregate, threshold: int) -> None:
        self.threshold = threshold
        self._aggregate = aggregate
        counts = {group.key: group.responses for group in aggregate.groups}
        self.groups = self._shown(counts, hidden=set())
        self._questions: dict[int, set[str]] = {}

    def _shown(self, counts: dict[str, int], hidden: set[str]) -> set[str]:
        if counts[ALL] < self.threshold:
            return set()
        shown = {ALL}
        for kind in PARTITIONS:
            keys = [group.key for group in self._aggregate.groups if group.kind == kind]
            cells = {key: counts[key] for key in keys}
            cells[REMAINDER] = counts[ALL] - sum(cells.values())
            shown |= partition_shown(cells, self.threshold, hidden | {REMAINDER})
        return shown

    def group_shown(self, key: str) -> bool:
        """Whether the group's own figures (its number of responses) may be shown."""
        return key in self.groups

    def question_shown(self, key: str, question_pk: int) -> bool:
        """Whether the group's figures for the question may be shown: the group is shown, and
        the answered counts of the question don't give a hidden group away either."""
        if question_pk not in self._questions:
            stats = self._aggregate.stats
            counts = {
                group.key: stats[group.key][question_pk].answered
                for group in self._aggregate.groups
            }
            hidden = {group.key for group in self._aggregate.groups if group.key not in self.groups}
            self._questions[question_pk] = self._shown(counts, hidden)
        return key in self._questions[question_pk]
