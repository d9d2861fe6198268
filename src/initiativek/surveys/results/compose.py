"""One question of the results for one viewer: the cached aggregate, which groups may be shown
(``suppression``, for the threshold read per request) and the viewer's own answer, turned into
what the templates show."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..constants import QuestionKind
from ..engine import EMPTY
from .aggregate import Aggregate, Contacts, QuestionMeta, QuestionStats, TextEntry
from .groups import ALL, Group
from .stats import decimal_display, share_display
from .suppression import Visibility
from .viewer import Viewer, own_buckets, own_display

ROW_HEIGHT = 44  # SVG user units (px) per bar: label line and bar


def min_group_size() -> int:
    """The small-group threshold, read at request time (tests and operators may change it)."""
    return settings.SURVEY_MIN_GROUP_SIZE


@dataclass
class Row:
    key: Any
    label: str
    count: int
    count_display: str
    share_display: str
    width: str  # bar length in percent of the chart width, "40.0"
    y: int
    is_own: bool


@dataclass
class Comparison:
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    has_hidden: bool = False  # a column isn't shown (small, or protecting a small group)


@dataclass
class ContactOption:
    key: Any
    label: str
    contacts: Contacts
    is_own: bool


@dataclass
class QuestionView:
    meta: QuestionMeta
    hidden: bool
    answered: int
    rows: list[Row] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    chart_desc: str = ""
    chart_height: int = 0
    own: str = ""
    comparison: Comparison | None = None
    texts: list[TextEntry] = field(default_factory=list)
    text_total: int = 0
    texts_hidden: bool = False
    contacts: list[ContactOption] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.meta.kind).label)

    @property
    def is_multiple(self) -> bool:
        return self.meta.kind == QuestionKind.MULTIPLE

    @property
    def has_chart(self) -> bool:
        return bool(self.rows) and not self.hidden


def value_with_unit(meta: QuestionMeta, value: Decimal, places: int | None = None) -> str:
    shown = decimal_display(value, places)
    if meta.kind == QuestionKind.PERCENTAGE:
        return f"{shown}\u00a0%"
    if meta.kind == QuestionKind.NUMBER and meta.unit:
        return f"{shown} {meta.unit}"
    return shown


def _rows(meta: QuestionMeta, stats: QuestionStats, own: set) -> list[Row]:
    rows = []
    for index, bucket in enumerate(meta.buckets):
        count = stats.counts.get(bucket.key, 0)
        share = Decimal(count * 100) / stats.answered if stats.answered else Decimal(0)
        rows.append(
            Row(
                key=bucket.key,
                label=bucket.label,
                count=count,
                count_display=decimal_display(Decimal(count), 0),
                share_display=share_display(count, stats.answered),
                width=f"{share:.1f}",
                y=index * ROW_HEIGHT,
                is_own=bucket.key in own,
            )
        )
    return rows


def _summary(meta: QuestionMeta, stats: QuestionStats) -> list[tuple[str, str]]:
    summary = stats.summary
    if summary is None:
        return []
    return [
        (pgettext("Anzahl der Antworten", "Antworten"), decimal_display(Decimal(summary.n), 0)),
        (_("Mittelwert"), value_with_unit(meta, summary.mean, 1)),
        (_("Median"), value_with_unit(meta, summary.median)),
        (_("kleinster Wert"), value_with_unit(meta, summary.minimum)),
        (_("größter Wert"), value_with_unit(meta, summary.maximum)),
    ]


def chart_description(view: QuestionView, group: Group) -> str:
    """The chart as a sentence, for its text alternative."""
    parts = [
        _("%(label)s: %(count)s (%(share)s)")
        % {"label": row.label, "count": row.count_display, "share": row.share_display}
        for row in view.rows
    ]
    text = _("%(group)s, %(answered)s Antworten. ") % {
        "group": group.label,
        "answered": decimal_display(Decimal(view.answered), 0),
    } + "; ".join(parts)
    own = [row.label for row in view.rows if row.is_own]
    if own:
        text += ". " + _("Ihre Antwort: %(labels)s") % {"labels": ", ".join(own)}
    return text


def comparison(
    meta: QuestionMeta, aggregate: Aggregate, viewer: Viewer, own: set, visibility: Visibility
) -> Comparison:
    """The own answer against all, the own size class and the own Regierungsbezirk – each
    column only where ``visibility`` allows; a hidden column says so, the same for a small
    group and for one hidden to protect another."""
    groups = [
        aggregate.group(ALL),
        aggregate.group(viewer.size_group) if viewer.size_group else None,
        aggregate.group(viewer.bezirk_group) if viewer.bezirk_group else None,
    ]
    columns = [
        groups[0].label,
        _("Ihre Größenklasse: %(label)s") % {"label": groups[1].label}
        if groups[1]
        else _("Ihre Größenklasse (keine Einwohnerzahl bekannt)"),
        groups[2].label if groups[2] else _("Ihr Regierungsbezirk (nicht bekannt)"),
    ]
    measures = [(_("Antworten auf diese Frage"), lambda s: decimal_display(Decimal(s.answered), 0))]
    for bucket in meta.buckets:
        if bucket.key in own and meta.kind not in (QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
            measures.append(
                (
                    _("Anteil „%(label)s“") % {"label": bucket.label},
                    lambda s, key=bucket.key: share_display(s.counts.get(key, 0), s.answered),
                )
            )
    if meta.kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
        measures.append((_("Mittelwert"), lambda s: value_with_unit(meta, s.summary.mean, 1)))
        measures.append((_("Median"), lambda s: value_with_unit(meta, s.summary.median)))
    hidden = {g.key for g in groups if g and not visibility.question_shown(g.key, meta.pk)}
    rows = []
    for label, what in measures:
        cells = []
        for group in groups:
            if group is None:
                cells.append(_("nicht zugeordnet"))
            elif group.key in hidden:
                cells.append(_("nicht ausgewiesen"))
            else:
                cells.append(what(aggregate.stats[group.key][meta.pk]))
        rows.append((label, cells))
    return Comparison(columns=columns, rows=rows, has_hidden=bool(hidden))


def _contacts(meta: QuestionMeta, aggregate: Aggregate, own: set) -> list[ContactOption]:
    if meta.kind not in (
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.YES_NO,
        QuestionKind.SCALE,
    ):
        return []
    by_bucket = aggregate.contacts.get(meta.pk, {})
    return [
        ContactOption(bucket.key, bucket.label, by_bucket[bucket.key], bucket.key in own)
        for bucket in meta.buckets
        if bucket.key in by_bucket
    ]


def question_view(
    meta: QuestionMeta, aggregate: Aggregate, group: Group, viewer: Viewer, visibility: Visibility
) -> QuestionView:
    """One question: the selected group's figures (unless ``visibility`` hides them), the own
    answer, the comparison, texts and who agreed to be contacted."""
    stats = aggregate.stats[group.key][meta.pk]
    value = viewer.values.get(meta.pk, EMPTY)
    own = own_buckets(meta, value)
    view = QuestionView(
        meta=meta, hidden=not visibility.question_shown(group.key, meta.pk), answered=0
    )
    if not view.hidden:
        view.answered = stats.answered
        if meta.kind != QuestionKind.TEXT:
            view.rows = _rows(meta, stats, own)
            view.chart_height = len(view.rows) * ROW_HEIGHT
            view.chart_desc = chart_description(view, group)
        view.summary = _summary(meta, stats)
    if viewer.organization is not None and not value.is_empty:
        view.own = own_display(meta, value)
        if meta.kind != QuestionKind.TEXT:
            view.comparison = comparison(meta, aggregate, viewer, own, visibility)
    # Texts come from all responses; below the threshold they are withheld as well.
    view.text_total = aggregate.text_totals.get(meta.pk, 0)
    view.texts_hidden = not visibility.question_shown(ALL, meta.pk)
    if not view.texts_hidden:
        view.texts = aggregate.texts.get(meta.pk, [])
    view.contacts = _contacts(meta, aggregate, own)
    return view
