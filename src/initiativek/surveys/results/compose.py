"""One question of the results for one viewer: the cached aggregate, which groups may be shown
(``suppression``, for the threshold read per request) and the viewer's own answer, turned into
what the templates show.

What is the same for every viewer – the formatted figures of a group, the chart's text – is
derived once per aggregate (``Aggregate.derived``); per request only the own answer is added.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
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
LABEL_BASELINE = 16  # within a row
BAR_TOP = 22  # within a row
CHART_LABEL_CHARS = 80
TEXT_ITEMS_TEMPLATE = "surveys/results/_text_items.html"
CHART_ROW_TEMPLATE = "surveys/results/_chart_row.html"
TABLE_ROW_TEMPLATE = "surveys/results/_table_row.html"
CONTACT_NAMES_TEMPLATE = "surveys/results/_contact_names.html"


def min_group_size() -> int:
    """The small-group threshold, read at request time (tests and operators may change it)."""
    return settings.SURVEY_MIN_GROUP_SIZE


@dataclass(frozen=True)
class Row:
    """One bar. Rows are shared by the requests that show the same group (frozen); the own
    answer's rows are copies with ``is_own``."""

    key: Any
    label: str
    chart_label: str  # the label shortened for the chart
    count: int
    count_display: str
    share_display: str
    width: str  # bar length in percent of the chart width, "40.0"
    label_y: int  # the label's baseline in the chart
    bar_y: int  # the bar's top
    is_own: bool = False


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
    names_html: str = ""  # the organizations as list items (``_contact_names.html``)


def contact_names_html(organizations: list[tuple[str, str]]) -> str:
    return render_to_string(CONTACT_NAMES_TEMPLATE, {"organizations": organizations})


@dataclass
class QuestionView:
    meta: QuestionMeta
    hidden: bool
    answered: int
    rows: list[Row] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    chart_desc: str = ""
    chart_height: int = 0
    chart_rows_html: str = ""  # ``rows`` in the chart (``_chart_row.html``)
    table_rows_html: str = ""  # ``rows`` in the table (``_table_row.html``)
    own: str = ""
    comparison: Comparison | None = None
    texts: list[TextEntry] = field(default_factory=list)
    texts_html: str = ""  # ``texts`` as list items (``_text_items.html``)
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


def _rows(meta: QuestionMeta, stats: QuestionStats) -> list[Row]:
    """The bars of one group, without the own answer."""
    rows = []
    for index, bucket in enumerate(meta.buckets):
        count = stats.counts.get(bucket.key, 0)
        share = Decimal(count * 100) / stats.answered if stats.answered else Decimal(0)
        y = index * ROW_HEIGHT
        rows.append(
            Row(
                key=bucket.key,
                label=bucket.label,
                chart_label=Truncator(bucket.label).chars(CHART_LABEL_CHARS),
                count=count,
                count_display=decimal_display(Decimal(count), 0),
                share_display=share_display(count, stats.answered),
                width=f"{share:.1f}",
                label_y=y + LABEL_BASELINE,
                bar_y=y + BAR_TOP,
            )
        )
    return rows


def _rows_html(
    aggregate: Aggregate, group: Group, meta: QuestionMeta, rows: list[Row], template: str
) -> SafeString:
    """``rows`` rendered with ``template``. Each row is rendered once per group, as own answer
    or not, and then reused for every viewer."""
    parts = [
        aggregate.derived(
            (template, group.key, meta.pk, index, row.is_own),
            lambda row=row: render_to_string(template, {"row": row, "meta": meta}),
        )
        for index, row in enumerate(rows)
    ]
    return mark_safe("".join(parts))  # template output, escaped there


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


def chart_figures(rows: list[Row], group: Group, answered: int) -> str:
    """The chart's figures as a sentence (the same for every viewer)."""
    parts = [
        _("%(label)s: %(count)s (%(share)s)")
        % {"label": row.label, "count": row.count_display, "share": row.share_display}
        for row in rows
    ]
    return _("%(group)s, %(answered)s Antworten. ") % {
        "group": group.label,
        "answered": decimal_display(Decimal(answered), 0),
    } + "; ".join(parts)


def chart_description(figures: str, rows: list[Row]) -> str:
    """The chart as a sentence, for its text alternative: ``chart_figures`` and the own
    answer."""
    text = figures
    own = [row.label for row in rows if row.is_own]
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
    # (label, name of the figure for the cache of derived values, how to compute it)
    measures = [
        (
            _("Antworten auf diese Frage"),
            "answered",
            lambda s: decimal_display(Decimal(s.answered), 0),
        )
    ]
    for index, bucket in enumerate(meta.buckets):
        if bucket.key in own and meta.kind not in (QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
            measures.append(
                (
                    _("Anteil „%(label)s“") % {"label": bucket.label},
                    ("share", index),
                    lambda s, key=bucket.key: share_display(s.counts.get(key, 0), s.answered),
                )
            )
    if meta.kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
        measures.append(
            (_("Mittelwert"), "mean", lambda s: value_with_unit(meta, s.summary.mean, 1))
        )
        measures.append((_("Median"), "median", lambda s: value_with_unit(meta, s.summary.median)))
    hidden = {g.key for g in groups if g and not visibility.question_shown(g.key, meta.pk)}
    rows = []
    for label, name, what in measures:
        cells = []
        for group in groups:
            if group is None:
                cells.append(_("nicht zugeordnet"))
            elif group.key in hidden:
                cells.append(_("nicht ausgewiesen"))
            else:
                stats = aggregate.stats[group.key][meta.pk]
                cells.append(
                    aggregate.derived(
                        ("comparison", group.key, meta.pk, name),
                        lambda what=what, stats=stats: what(stats),
                    )
                )
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
    options = []
    for index, bucket in enumerate(meta.buckets):
        if bucket.key not in by_bucket:
            continue
        contacts = by_bucket[bucket.key]
        names = aggregate.derived(
            ("contact_names", meta.pk, index),
            lambda contacts=contacts: contact_names_html(contacts.organizations),
        )
        options.append(ContactOption(bucket.key, bucket.label, contacts, bucket.key in own, names))
    return options


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
            rows = aggregate.derived(("rows", group.key, meta.pk), lambda: _rows(meta, stats))
            view.rows = [replace(row, is_own=True) if row.key in own else row for row in rows]
            view.chart_height = len(view.rows) * ROW_HEIGHT
            figures = aggregate.derived(
                ("chart_figures", group.key, meta.pk),
                lambda: chart_figures(rows, group, stats.answered),
            )
            view.chart_desc = chart_description(figures, view.rows)
            view.chart_rows_html = _rows_html(aggregate, group, meta, view.rows, CHART_ROW_TEMPLATE)
            view.table_rows_html = _rows_html(aggregate, group, meta, view.rows, TABLE_ROW_TEMPLATE)
        view.summary = aggregate.derived(
            ("summary", group.key, meta.pk), lambda: _summary(meta, stats)
        )
    if viewer.organization is not None and not value.is_empty:
        view.own = own_display(meta, value)
        if meta.kind != QuestionKind.TEXT:
            view.comparison = comparison(meta, aggregate, viewer, own, visibility)
    # Texts come from all responses; below the threshold they are withheld as well.
    view.text_total = aggregate.text_totals.get(meta.pk, 0)
    view.texts_hidden = not visibility.question_shown(ALL, meta.pk)
    if not view.texts_hidden:
        view.texts = aggregate.texts.get(meta.pk, [])
        # The same list for everyone: rendered once per aggregate and language.
        view.texts_html = aggregate.derived(
            ("texts", meta.pk),
            lambda: render_to_string(TEXT_ITEMS_TEMPLATE, {"entries": view.texts}),
        )
    view.contacts = _contacts(meta, aggregate, own)
    return view
