"""German full-text search over projects that works on PostgreSQL and on SQLite.

PostgreSQL uses its own ``german`` text search configuration (Snowball stemmer and stop words)
over the vector of the own texts that migration ``0003_stored_search_vector`` stores in every row
and indexes (GIN); technologies, vendors and topics are matched through their names.

SQLite has no German full-text search, so every project stores ``search_document``: the
Snowball stems of its searchable texts, separated by single spaces and framed by a leading and
a trailing space. A query term ``t``
matches when the document contains ``" t"``, so a stem matches whole words and words that begin
with it ("park" finds "parkplatz"), never the middle of another word.

Differences that remain between the databases: SQLite matches word beginnings, PostgreSQL whole
words; SQLite reads quotes as plain words, ``or`` as a stop word and ``-word`` as an exclusion,
PostgreSQL reads the query as ``websearch_to_tsquery`` does.
"""

import re
from functools import reduce
from operator import add
from typing import TYPE_CHECKING, NamedTuple

import snowballstemmer
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Length, Replace

if TYPE_CHECKING:
    from django.contrib.postgres.search import CombinedSearchVector

    from .models import Project

SEARCH_CONFIG = "german"
MAX_TERMS = 10
# Single letters and digits are dropped: "E-Akte" is searched as "akt".
MIN_TERM_LENGTH = 2

# Snowball's German stop word list, the one PostgreSQL's ``german`` configuration uses, plus
# "or", which PostgreSQL's web search syntax reads as an operator.
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die
    das dass derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu
    dein deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen
    dieser dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen
    einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen
    hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres
    euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
    kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
    manches mein meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur
    ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche
    solchem solchen solcher solches soll sollte sondern sonst über um und uns unse unsem unsen
    unser unses unter viel vom von vor während war waren warst was weg weil weiter welche welchem
    welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte
    würde würden zu zum zur zwar zwischen or
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Letters and digits; hyphens, underscores and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("german")

# How often a text counts in the SQLite document (the ranking there counts occurrences).
_TITLE_REPEAT = 3
_SUMMARY_REPEAT = 2


def _words(text: str) -> list[str]:
    """Case-folded words of ``text`` without stop words and single characters."""
    return [
        word
        for word in _WORD.findall(text.casefold())
        if len(word) >= MIN_TERM_LENGTH and word not in STOPWORDS
    ]


def stem_words(text: str) -> list[str]:
    """The Snowball (German) stems of the words of ``text``, in order."""
    return _stemmer.stemWords(_words(text))


def search_document_for(project: "Project") -> str:
    """The text stored in ``project.search_document``: stems framed by spaces.

    Precondition: ``project`` is saved and its technologies, vendors and topics are set (the
    project service calls this after setting them, then saves the field).
    """
    tag_names = [tag.name for tag in project.technologies.all()]
    tag_names += [tag.name for tag in project.vendors.all()]
    topic_names = [topic.name for topic in project.topics.all()]
    return search_document_join(
        title=stem_words(project.title),
        summary=stem_words(project.summary),
        rest=stem_words(
            " ".join([project.description, project.lessons_learned, *tag_names, *topic_names])
        ),
    )


def search_document_join(*, title: list[str], summary: list[str], rest: list[str]) -> str:
    """The stored search text from the stems of its parts: title and summary weigh more
    (repeated), the whole framed by spaces. Also used by the synthetic data generator, which
    stems its texts itself (with a cache)."""
    stems = title * _TITLE_REPEAT + summary * _SUMMARY_REPEAT + rest
    return f" {' '.join(stems)} " if stems else ""


def _parse_query(query: str) -> tuple[list[str], list[str]]:
    """Stemmed terms to require and to exclude ("-word"), without duplicates."""
    required: list[str] = []
    excluded: list[str] = []
    for token in query.split()[: MAX_TERMS * 3]:
        target = excluded if token.startswith("-") and len(token) > 1 else required
        for stem in stem_words(token):
            if stem not in required and stem not in excluded:
                target.append(stem)
    return required[:MAX_TERMS], excluded[:MAX_TERMS]


def search_terms(query: str) -> list[str]:
    """The stems a query searches for (stop words dropped, at most ``MAX_TERMS``)."""
    return _parse_query(query)[0]


def project_search(queryset: QuerySet["Project"], query: str) -> QuerySet["Project"]:
    """The projects of ``queryset`` that match ``query``, annotated with ``rank`` (higher is
    better) and ordered by it. A query without searchable words matches nothing."""
    query = query.replace("\x00", " ")  # PostgreSQL refuses NUL characters in strings
    if not search_terms(query):
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, query)
    return _document_search(queryset, query)


def _order_by_rank(queryset: QuerySet["Project"]) -> QuerySet["Project"]:
    newest = F("published_at").desc(nulls_last=True)
    return queryset.order_by("-rank", newest, "-created_at", "-pk")


# SQLite (and any other database): the stemmed search document.


def _occurrences(needle: str) -> Cast:
    """How often ``needle`` occurs in the search document, computed by the database."""
    removed = Length("search_document") - Length(Replace("search_document", Value(needle)))
    return Cast(removed / len(needle), output_field=IntegerField())


def _document_search(queryset: QuerySet["Project"], query: str) -> QuerySet["Project"]:
    required, excluded = _parse_query(query)
    for term in required:
        queryset = queryset.filter(search_document__contains=f" {term}")
    for term in excluded:
        queryset = queryset.exclude(search_document__contains=f" {term}")
    rank = reduce(add, (_occurrences(f" {term}") for term in required))
    return _order_by_rank(queryset.annotate(rank=Cast(rank, output_field=FloatField())))


# PostgreSQL: text search with the german configuration.


# PostgreSQL: text search with the german configuration over the stored vector of the own texts;
# technologies, vendors and topics are added for the few projects whose names match the query.


class StoredSearchVector(Expression):
    """The column ``projects_project.search_vector`` that PostgreSQL generates from the own
    texts, ``own_text_vector()`` (migration 0003, which also puts the GIN index on it). It is no
    model field, so this expression names it for whichever alias the project table has."""

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


def own_text_vector() -> "CombinedSearchVector":
    """The weighted vector of the project's own texts, as migration 0003 stores it in
    ``search_vector``; change both together (``test_search`` checks that the index is used)."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", "lessons_learned", weight="C", config=SEARCH_CONFIG)
    )


def _lexemes(text: Expression | str) -> Func:
    """The lexemes PostgreSQL's german configuration makes of ``text``, as an array."""
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.search import SearchVector

    return Func(
        SearchVector(text, config=SEARCH_CONFIG),
        function="tsvector_to_array",
        output_field=ArrayField(TextField()),
    )


class _NameMatch(NamedTuple):
    """Projects linked to one technology, vendor or topic whose name shares ``lexemes`` with
    the query: ``links`` (project ids, a subquery) and the weight the name carries."""

    links: QuerySet
    weight: str
    lexemes: list[str]
    covers: bool  # the name holds every lexeme of the query


def _name_matches(query: str) -> list[_NameMatch]:
    """The technologies (weight B), vendors and topics (weight C) whose names share a lexeme
    with ``query`` – usually none, rarely more than a few. One small query over the names; the
    query is split into lexemes by PostgreSQL itself, exactly as the names are."""
    from initiativek.core.models import Topic

    from .models import Project, Tag

    query_lexemes = _lexemes(Value(query, output_field=TextField()))
    sources = (
        (Tag.objects, [(Project.technologies.through, "B"), (Project.vendors.through, "C")]),
        (Topic.objects, [(Project.topics.through, "C")]),
    )
    found = []
    for names, relations in sources:
        rows = (
            names.annotate(lexemes=_lexemes("name"), wanted=query_lexemes)
            .filter(lexemes__overlap=F("wanted"))
            .values_list("pk", "lexemes", "wanted")
        )
        for pk, lexemes, wanted in rows:
            shared = sorted(set(lexemes) & set(wanted))
            covers = set(wanted) <= set(lexemes)
            for through, weight in relations:
                column = "topic_id" if names.model is Topic else "tag_id"
                links = through.objects.filter(**{column: pk}).values("project_id")
                found.append(_NameMatch(links, weight, shared, covers))
    return found


def _tsvector_literal(lexemes: list[str], weight: str) -> str:
    """``'a':1B 'b':2B`` – a tsvector of the given lexemes, quoted as PostgreSQL reads it."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " ".join(f"{word}:{position}{weight}" for position, word in enumerate(quoted, 1))


def _names_vector(matches: list[_NameMatch]) -> Expression:
    """Per project, the matching lexemes of its technologies, vendors and topics (empty for a
    project without any): what the names add to the own texts for this query."""
    from django.contrib.postgres.search import SearchVectorField

    parts = [
        Case(
            When(
                pk__in=match.links,
                then=Cast(
                    Value(_tsvector_literal(match.lexemes, match.weight)), SearchVectorField()
                ),
            ),
            default=Cast(Value(""), SearchVectorField()),
        )
        for match in matches
    ]
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ")


def _ids(matches: list[_NameMatch]) -> list[int]:
    """The projects linked to the names, read once."""
    return sorted(
        {pk for match in matches for pk in match.links.values_list("project_id", flat=True)}
    )


def _any(ids: list[int]) -> Func:
    """``id = ANY(<ids>)``: one array parameter instead of one per id."""
    from django.contrib.postgres.fields import ArrayField

    return Func(
        F("pk"),
        Value(ids, output_field=ArrayField(IntegerField())),
        template="%(expressions)s)",
        arg_joiner=" = ANY(",
        output_field=BooleanField(),
    )


def _postgres_search(queryset: QuerySet["Project"], query: str) -> QuerySet["Project"]:
    """Without matching names (the common case) the GIN index on the stored vector finds the
    projects and ranks them from the stored vector, nothing is computed per row. Where names
    match, their lexemes are added to the vector of the projects linked to them – the words of
    the other names cannot change whether or how such a query matches – and that longer vector
    is built only for the rows that need it (see ``benchmarks/README.md``)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    vector = StoredSearchVector()
    matches = _name_matches(query)
    if not matches:
        found = queryset.alias(search_vector=vector).filter(search_vector=search_query)
        return _order_by_rank(found.annotate(rank=SearchRank(vector, search_query)))
    vector = Func(
        vector,
        _names_vector(matches),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )
    queryset = queryset.alias(own_vector=StoredSearchVector(), search_vector=vector)
    if _parse_query(query)[1]:
        # "-word": a name may exclude a project its own texts match. The ids as one array, not
        # subqueries, so PostgreSQL ORs the GIN index with the primary key index.
        linked = _ids(matches)
        candidates = Q(own_vector=search_query) | Q(_any(linked))
        found = queryset.filter(candidates & Q(search_vector=search_query))
    else:
        # Without exclusions more words can only match more: a linked project matches when its
        # own texts do, or – checked only for those – its texts and names together. A name
        # that holds every word of the query matches all its projects: nothing to check.
        phrase = '"' in query  # word order matters: check the vector
        covered = [match for match in matches if match.covers and not phrase]
        rest = _ids([match for match in matches if not match.covers or phrase])
        matching = Q(own_vector=search_query)
        for match in covered:
            matching |= Q(pk__in=match.links)
        if rest:
            matching |= Q(_any(rest)) & Q(search_vector=search_query)
        found = queryset.filter(matching)
    return _order_by_rank(found.annotate(rank=SearchRank(vector, search_query)))
