"""The catalog's filters, sorting and facets, all carried in the URL.

Unknown or malformed values in the URL are dropped silently: a shared or outdated link still
shows a result, never an error. Facet counts follow the usual rule: each facet counts over the
result with every other filter applied but not its own, so choosing a value does not hide the
alternatives.
"""

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower, Substr
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiativek.core.constants import Goal
from initiativek.core.models import Topic
from initiativek.organizations import selectors as organization_selectors
from initiativek.organizations.constants import OrganizationKind

from . import selectors
from .constants import ProjectStatus
from .models import Project, ProjectGoal
from .search import project_search

MAX_QUERY_LENGTH = 200
REUSE_YES = "ja"


class SortOrder:
    RELEVANCE = "relevanz"
    NEWEST = "neueste"
    TITLE = "titel"
    STATUS = "stand"

    choices = (
        (RELEVANCE, gettext_lazy("Relevanz")),
        (NEWEST, gettext_lazy("neueste zuerst")),
        (TITLE, gettext_lazy("Titel")),
        (STATUS, gettext_lazy("Stand")),
    )


# "Stand" sorts the furthest projects first: what has been done is what others can learn from.
STATUS_ORDER = (
    ProjectStatus.DONE,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.PLANNED,
    ProjectStatus.IDEA,
    ProjectStatus.STOPPED,
)

# KERN badge variant per status, for the result list.
STATUS_BADGE: dict[str, str] = {
    ProjectStatus.IDEA.value: "info",
    ProjectStatus.PLANNED.value: "info",
    ProjectStatus.IN_PROGRESS.value: "info",
    ProjectStatus.DONE.value: "success",
    ProjectStatus.STOPPED.value: "warning",
}


@dataclass(frozen=True)
class CatalogChoices:
    """What the URL may name that lives in the database: topics and Regierungsbezirke."""

    topics: list[Topic]
    regierungsbezirke: dict[str, str]  # key → name

    @property
    def topic_slugs(self) -> list[str]:
        return [topic.slug for topic in self.topics]


def catalog_choices() -> CatalogChoices:
    """Two queries: the topics and the Regierungsbezirke."""
    regions = organization_selectors.region_regierungsbezirke()
    return CatalogChoices(
        topics=list(Topic.objects.all()),
        regierungsbezirke={region.key: region.name for region in regions},
    )


def _choice(value: str | None, allowed: Collection[str]) -> str:
    return value if value in allowed else ""


def _goal(value: str | None) -> int | None:
    if value and value.isascii() and value.isdigit() and int(value) in Goal.values:
        return int(value)
    return None


@dataclass(frozen=True)
class CatalogFilters:
    """The catalog's state as the URL carries it (parameter names in German)."""

    q: str = ""
    topics: tuple[str, ...] = ()
    status: str = ""
    goal: int | None = None
    kind: str = ""
    regierungsbezirk: str = ""
    reuse: bool = False
    sort: str = ""  # as requested; see ``effective_sort``
    _topic_order: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_query(cls, params: QueryDict, choices: CatalogChoices) -> "CatalogFilters":
        """Parse the URL's parameters, keeping only values that exist."""
        query = " ".join(params.get("q", "").replace("\x00", " ").split())
        wanted = set(params.getlist("thema"))
        return cls(
            q=query[:MAX_QUERY_LENGTH],
            topics=tuple(slug for slug in choices.topic_slugs if slug in wanted),
            status=_choice(params.get("stand"), ProjectStatus.values),
            goal=_goal(params.get("ziel")),
            kind=_choice(params.get("art"), OrganizationKind.values),
            regierungsbezirk=_choice(params.get("regierungsbezirk"), choices.regierungsbezirke),
            reuse=params.get("nachnutzung") == REUSE_YES,
            sort=_choice(params.get("sortierung"), [value for value, _label in SortOrder.choices]),
            _topic_order=tuple(choices.topic_slugs),
        )

    @property
    def effective_sort(self) -> str:
        """Relevance only means something for a search; without one the newest come first."""
        if self.sort and (self.q or self.sort != SortOrder.RELEVANCE):
            return self.sort
        return SortOrder.RELEVANCE if self.q else SortOrder.NEWEST

    @property
    def is_filtered(self) -> bool:
        """Search words or any facet value chosen."""
        return self != CatalogFilters(sort=self.sort)

    @property
    def has_facet_filters(self) -> bool:
        return replace(self, q="").is_filtered

    def params(self) -> list[tuple[str, str]]:
        """The URL parameters, in a fixed order so equal states give equal URLs."""
        items: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        items += [("thema", slug) for slug in self.topics]
        items += [("stand", self.status), ("art", self.kind)]
        items += [("ziel", str(self.goal) if self.goal else "")]
        items += [("regierungsbezirk", self.regierungsbezirk)]
        items += [("nachnutzung", REUSE_YES if self.reuse else ""), ("sortierung", self.sort)]
        return [(name, value) for name, value in items if value]

    def facet_params(self) -> list[tuple[str, str]]:
        """The parameters the search form carries along as hidden fields."""
        return [(name, value) for name, value in self.params() if name not in {"q", "sortierung"}]

    def query_string(self) -> str:
        """``?…`` for links to this state (without page), or "" for the plain catalog."""
        query = QueryDict(mutable=True)
        for name, value in self.params():
            query.appendlist(name, value)
        return f"?{query.urlencode()}" if query else ""

    def toggled_topic(self, slug: str) -> "CatalogFilters":
        chosen = set(self.topics) ^ {slug}
        return replace(self, topics=tuple(s for s in self._topic_order if s in chosen))


# Filtering

# Facet name → (is it set?, the condition it puts on a project). The search itself is no facet.
FILTERS: dict[str, tuple[Callable[[CatalogFilters], bool], Callable[[CatalogFilters], Q]]] = {
    # Subqueries for the many-to-many links, so a project is never counted twice.
    "thema": (
        lambda f: bool(f.topics),
        lambda f: Q(
            pk__in=Project.topics.through.objects.filter(topic__slug__in=f.topics).values(
                "project_id"
            )
        ),
    ),
    "stand": (lambda f: bool(f.status), lambda f: Q(status=f.status)),
    "ziel": (
        lambda f: f.goal is not None,
        lambda f: Q(pk__in=ProjectGoal.objects.filter(goal=f.goal).values("project_id")),
    ),
    "art": (lambda f: bool(f.kind), lambda f: Q(owner__kind=f.kind)),
    "regierungsbezirk": (
        lambda f: bool(f.regierungsbezirk),
        lambda f: Q(owner__region__key__startswith=f.regierungsbezirk),
    ),
    "nachnutzung": (lambda f: f.reuse, lambda f: Q(reuse_offered=True)),
}


def _active(filters: CatalogFilters) -> dict[str, Q]:
    """The chosen facets' conditions."""
    return {
        name: condition(filters) for name, (is_set, condition) in FILTERS.items() if is_set(filters)
    }


def _apply_filters(queryset: QuerySet[Project], filters: CatalogFilters) -> QuerySet[Project]:
    for condition in _active(filters).values():
        queryset = queryset.filter(condition)
    return queryset


def _sort_keys(sort: str, *, ranked: bool) -> list[tuple[Expression, bool]]:
    """The order of ``sort`` as (expression, descending) pairs; the newest first where the
    order says nothing else. ``ranked``: the queryset carries the search's ``rank``."""
    newest = [(F("published_at"), True), (F("created_at"), True), (F("pk"), True)]
    if sort == SortOrder.TITLE:
        return [(Lower("title"), False), (F("pk"), False)]
    if sort == SortOrder.STATUS:
        position = Case(
            *(When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)),
            default=Value(len(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        return [(position, False), (Lower("title"), False), (F("pk"), False)]
    if sort == SortOrder.RELEVANCE and ranked:
        return [(F("rank"), True), *newest]
    return newest


def _sorted(queryset: QuerySet[Project], sort: str) -> QuerySet[Project]:
    ranked = "rank" in queryset.query.annotations
    return queryset.order_by(
        *(
            key.desc(nulls_last=True) if descending else key.asc()
            for key, descending in _sort_keys(sort, ranked=ranked)
        )
    )


def catalog_results(queryset: QuerySet[Project], filters: CatalogFilters) -> QuerySet[Project]:
    """The catalog's result: ``queryset`` (already limited to what the user may see) searched,
    filtered and sorted. With a search, every project carries ``rank``."""
    if filters.q:
        queryset = project_search(queryset, filters.q)
    return _sorted(_apply_filters(queryset, filters), filters.effective_sort)


class CatalogSearchForm(forms.Form):
    """Search words and sorting; rendered unbound from the parsed filters, so never invalid."""

    q = forms.CharField(
        label=gettext_lazy("Suchbegriffe"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sortierung = forms.ChoiceField(
        label=gettext_lazy("Sortierung"), required=False, choices=SortOrder.choices
    )

    def __init__(self, filters: CatalogFilters) -> None:
        super().__init__(initial={"q": filters.q, "sortierung": filters.effective_sort})
        self.hide_optional = True


# Facets and the chips of active filters


class FacetOption(NamedTuple):
    value: str
    label: str
    count: int
    selected: bool
    query: str  # the URL query that toggles this value


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


class ActiveFilter(NamedTuple):
    label: str  # "Thema: Schulen"
    query: str  # the URL query without this filter
    widen_label: str  # "Ohne Thema „Schulen“", for the empty result


# The facet counts: one statement over the search result.

# The columns the counts need of each project of the search result, as aliases.
_COLUMNS = {
    "m_id": F("pk"),
    "m_status": F("status"),
    "m_kind": F("owner__kind"),
    "m_rb": Substr("owner__region__key", 1, 3),
    "m_reuse": F("reuse_offered"),
}


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# The first pages of a result are found with its counts: the ids of its first RESULT_IDS projects
# in the chosen order come from the same statement and are cached with the counts.
RESULT_IDS = 200
_POSITION = "#"


def _facet_statement(searched: QuerySet[Project], filters: CatalogFilters) -> tuple[str, list]:
    """SQL and parameters for the rows (facet, value, count), plus ("", "", total), plus
    ("#", position, id) for the first ``RESULT_IDS`` projects of the result in its order.

    The search result (``searched``: visible projects matching the words, no facet applied) is
    computed once, as a common table expression with one flag per chosen facet; each facet
    then counts the rows that pass every flag but its own. The ORM cannot say "with", so the
    statement is put together here from the ORM's SQL for the expensive part. Run one query
    per facet instead and each would repeat the search: on PostgreSQL, with a common word
    among 100,000 projects, that is most of the page's time (``benchmarks/README.md``).
    """
    active = _active(filters)
    flags = {f"f_{name.replace('regierungsbezirk', 'rb')}": name for name in active}
    # The sort keys, computed only for the rows that pass every filter (the rank is the
    # expensive part).
    passing = Q(*active.values())
    keys = _sort_keys(filters.effective_sort, ranked="rank" in searched.query.annotations)
    sort_columns = {
        f"m_s{i}": Case(When(passing, then=key)) if active else key
        for i, (key, _descending) in enumerate(keys)
    }
    rows = (
        searched.order_by()
        .annotate(
            **_COLUMNS,
            **{flag: _flag(active[name]) for flag, name in flags.items()},
            **sort_columns,
        )
        .values(*_COLUMNS, *flags, *sort_columns)
    )
    inner, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    order = ", ".join(
        f"{column} DESC NULLS LAST" if descending else f"{column} ASC"
        for column, (_key, descending) in zip(sort_columns, keys, strict=True)
    )

    def where(skip: str = "") -> str:
        passing = [f"m.{flag}" for flag, name in flags.items() if name != skip]
        return " AND ".join(passing) or "1 = 1"

    # Only names from this module go into the text (columns, flags, tables); every value
    # (facet names too) is a parameter.
    def counted(facet: str, value: str, extra: str = "") -> str:
        group = f" GROUP BY {value}" if value != "%s" else ""
        return (
            f"SELECT %s, CAST({value} AS TEXT), COUNT(*) FROM m "  # noqa: S608
            f"WHERE {where(facet)}{extra}{group}"
        )

    def linked(facet: str, table: str, value: str) -> str:
        """Counts over a link table: its rows whose project passes (each pair is unique)."""
        return (
            f"SELECT %s, CAST({value} AS TEXT), COUNT(*) FROM {quote(table)} "  # noqa: S608
            f"WHERE project_id IN (SELECT m.m_id FROM m WHERE {where(facet)}) GROUP BY {value}"
        )

    parts = [
        (linked("thema", Project.topics.through._meta.db_table, "topic_id"), ["thema"]),
        (counted("stand", "m.m_status"), ["stand"]),
        (linked("ziel", ProjectGoal._meta.db_table, "goal"), ["ziel"]),
        (counted("art", "m.m_kind"), ["art"]),
        (counted("regierungsbezirk", "m.m_rb"), ["regierungsbezirk"]),
        (counted("nachnutzung", "%s", extra=" AND m.m_reuse"), ["nachnutzung", REUSE_YES]),
        (counted("", "%s"), ["", ""]),
        (
            f"SELECT %s, CAST(ROW_NUMBER() OVER (ORDER BY {order}) AS TEXT), first.m_id "  # noqa: S608
            f"FROM (SELECT * FROM m WHERE {where()} ORDER BY {order} LIMIT {RESULT_IDS}) first",
            [_POSITION],
        ),
    ]
    sql = f"WITH m AS ({inner}) " + " UNION ALL ".join(part for part, _values in parts)
    return sql, [*params, *(value for _part, values in parts for value in values)]


class ResultPages:
    """The sorted result, for the paginator: a page within the first ``RESULT_IDS`` projects
    reads its rows by primary key from the ids found with the counts (no search again); a
    later page runs the sorted query."""

    def __init__(
        self, *, ids: list[int], total: int, rows: QuerySet[Project], query: QuerySet[Project]
    ) -> None:
        self.ids, self.total, self.rows, self.query = ids, total, rows, query

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Project]:
        start, stop = index.start or 0, index.stop if index.stop is not None else self.total
        if stop <= len(self.ids) or len(self.ids) >= self.total:
            chunk = self.ids[start:stop]
            found = {project.pk: project for project in self.rows.filter(pk__in=chunk)}
            return [found[pk] for pk in chunk if pk in found]
        return list(self.query[start:stop])


@dataclass(frozen=True)
class CatalogResult:
    """The catalog's result for one state of the filters."""

    projects: QuerySet[Project]  # searched, filtered and sorted
    total: int
    counts: dict[str, dict[str, int]]  # facet → value → number of projects
    ids: list[int] = field(default_factory=list)  # of the first RESULT_IDS projects, in order

    def pages(self, rows: QuerySet[Project]) -> ResultPages:
        """The result for the paginator; ``rows``: the visible projects, as the page needs
        them (related objects), without search or order."""
        return ResultPages(ids=self.ids, total=self.total, rows=rows, query=self.projects)


def catalog_search(
    queryset: QuerySet[Project], filters: CatalogFilters, *, audience: str | None = None
) -> CatalogResult:
    """``queryset`` (already limited to what the user may see) searched, filtered and sorted,
    with its size and the facet counts: each facet counts over the result with every other
    filter applied but not its own.

    The counts and the size take one query (two on PostgreSQL when the words match names of
    technologies, vendors or topics) and are cached for the ``audience``
    (``selectors.catalog_audience``; None: not cached) until the catalog changes; the page
    itself is one query when it is read, never cached."""
    searched = project_search(queryset, filters.q) if filters.q else queryset
    key = _cache_key(filters, audience) if audience else None
    cached = cache.get(key) if key else None
    if cached is None:
        cached = _counts_total_and_ids(searched, filters)
        if key:
            cache.set(key, cached, selectors.CATALOG_CACHE_SECONDS)
    counts, total, ids = cached
    projects = _sorted(_apply_filters(searched, filters), filters.effective_sort)
    return CatalogResult(projects=projects, total=total, counts=counts, ids=ids)


def _cache_key(filters: CatalogFilters, audience: str) -> str:
    state = replace(filters, sort=filters.effective_sort).query_string()
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    return f"projects:catalog:{selectors.catalog_version()}:{audience}:{digest}"


def _counts_total_and_ids(
    searched: QuerySet[Project], filters: CatalogFilters
) -> tuple[dict[str, dict[str, int]], int, list[int]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    total = 0
    positions: list[tuple[int, int]] = []
    if searched.query.is_empty():  # words without anything searchable match nothing
        return counts, total, []
    sql, params = _facet_statement(searched, filters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, count in cursor.fetchall():
            if facet == _POSITION:
                positions.append((int(value), count))
            elif facet:
                counts[facet][str(value)] = count
            else:
                total = count
    return counts, total, [pk for _position, pk in sorted(positions)]


class CountedPaginator(Paginator):
    """A paginator that is told the number of objects instead of counting them again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


# Single-valued facets: (attribute of CatalogFilters, URL value → attribute value, unset value).
_SINGLE: dict[str, tuple[str, Callable[[str], object], object]] = {
    "stand": ("status", str, ""),
    "ziel": ("goal", int, None),
    "art": ("kind", str, ""),
    "regierungsbezirk": ("regierungsbezirk", str, ""),
    "nachnutzung": ("reuse", lambda value: True, False),
}


def _selected(filters: CatalogFilters, name: str) -> set[str]:
    """The URL values of facet ``name`` that are chosen."""
    if name == "thema":
        return set(filters.topics)
    attribute, _parse, unset = _SINGLE[name]
    value = getattr(filters, attribute)
    if value == unset:
        return set()
    return {REUSE_YES if value is True else str(value)}


def _toggled(filters: CatalogFilters, name: str, value: str) -> CatalogFilters:
    """The state with ``value`` of facet ``name`` switched on or off."""
    if name == "thema":
        return filters.toggled_topic(value)
    attribute, parse, unset = _SINGLE[name]
    new = unset if value in _selected(filters, name) else parse(value)
    return replace(filters, **{attribute: new})


def _facet_values(choices: CatalogChoices) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Facet name → (heading, [(value, label)]) in display order."""
    goal_label = _("%(number)s – %(goal)s")
    return {
        "thema": (_("Thema"), [(topic.slug, topic.name) for topic in choices.topics]),
        "stand": (_("Stand"), [(value, str(label)) for value, label in ProjectStatus.choices]),
        "ziel": (
            _("Ziel"),
            [(str(g.value), goal_label % {"number": g.value, "goal": g.label}) for g in Goal],
        ),
        "art": (
            _("Art der Organisation"),
            [(value, str(label)) for value, label in OrganizationKind.choices],
        ),
        "regierungsbezirk": (_("Regierungsbezirk"), list(choices.regierungsbezirke.items())),
        "nachnutzung": (_("Nachnutzung"), [(REUSE_YES, _("möglich"))]),
    }


def catalog_facets(
    counts: dict[str, dict[str, int]], filters: CatalogFilters, choices: CatalogChoices
) -> list[Facet]:
    """The facets with the counts of ``CatalogResult``; values without projects are left out
    unless chosen."""
    topic_ids = {topic.slug: str(topic.pk) for topic in choices.topics}
    facets = []
    for name, (heading, values) in _facet_values(choices).items():
        selected = _selected(filters, name)
        options = []
        for value, label in values:
            count = counts[name].get(topic_ids[value] if name == "thema" else value, 0)
            if count or value in selected:
                query = _toggled(filters, name, value).query_string()
                options.append(FacetOption(value, label, count, value in selected, query))
        facets.append(Facet(name=name, label=heading, options=options))
    return facets


def active_filters(filters: CatalogFilters, facets: list[Facet]) -> list[ActiveFilter]:
    """The chosen search words and facet values, each with the link that removes it."""
    chips = []
    if filters.q:
        words = {"words": filters.q}
        chips.append(
            ActiveFilter(
                _("Suche: „%(words)s“") % words,
                replace(filters, q="").query_string(),
                _("Ohne die Suchbegriffe „%(words)s“") % words,
            )
        )
    for facet in facets:
        for option in facet.options:
            if option.selected:
                names = {"facet": facet.label, "value": option.label}
                chips.append(
                    ActiveFilter(
                        _("%(facet)s: %(value)s") % names,
                        option.query,
                        _("Ohne %(facet)s „%(value)s“") % names,
                    )
                )
    return chips
