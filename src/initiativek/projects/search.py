"""German full-text search over projects that works on PostgreSQL and on SQLite.

PostgreSQL uses its own ``german`` text search configuration (Snowball stemmer and stop words),
backed by the GIN index of migration ``0002_search_index``. SQLite has no German full-text
search, so every project stores ``search_document``: the Snowball stems of its searchable texts,
separated by single spaces and framed by a leading and a trailing space. A query term ``t``
matches when the document contains ``" t"``, so a stem matches whole words and words that begin
with it ("park" finds "parkplatz"), never the middle of another word.

Differences that remain between the databases: SQLite matches word beginnings, PostgreSQL whole
words; SQLite reads quotes as plain words, ``or`` as a stop word and ``-word`` as an exclusion,
PostgreSQL reads the query as ``websearch_to_tsquery`` does.
"""

import re
from functools import reduce
from operator import add
from typing import TYPE_CHECKING

import snowballstemmer
from django.db import connection
from django.db.models import (
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Length, Replace

if TYPE_CHECKING:
    from django.contrib.postgres.search import CombinedSearchVector, SearchVector

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


def own_text_vector() -> "CombinedSearchVector":
    """The weighted vector of the project's own texts. Migration 0002 indexes exactly this
    expression; change both together (``test_search`` checks that the index is used)."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", "lessons_learned", weight="C", config=SEARCH_CONFIG)
    )


def _names_vector(names: QuerySet, weight: str) -> "SearchVector":
    """A vector over the ``name`` of each row of ``names`` (a subquery for the outer project)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.search import SearchVector

    # Unordered: the order of the names does not matter for matching and ranking.
    names = names.order_by().values("name")
    joined = Func(
        ArraySubquery(names), Value(" "), function="array_to_string", output_field=TextField()
    )
    return SearchVector(joined, weight=weight, config=SEARCH_CONFIG)


def _related_vector() -> "CombinedSearchVector":
    """Technologies (weight B), vendors and topics (weight C) of the outer project."""
    from initiativek.core.models import Topic

    from .models import Tag

    # Unordered: the order of the names does not matter for matching and ranking.
    technologies = Tag.objects.filter(technology_projects=OuterRef("pk"))
    vendors = Tag.objects.filter(vendor_projects=OuterRef("pk"))
    topics = Topic.objects.filter(project=OuterRef("pk"))
    return (
        _names_vector(technologies, "B") + _names_vector(vendors, "C") + _names_vector(topics, "C")
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


def _related_candidates(query: str) -> Q:
    """Projects with a technology, vendor or topic whose name shares a lexeme with ``query``.

    Only these can match through their names when their own texts do not, so together with the
    indexed match on the own texts they bound the rows whose full vector PostgreSQL computes.
    The query is split into lexemes by PostgreSQL itself, exactly as the documents are.
    """
    from initiativek.core.models import Topic

    from .models import Project, Tag

    query_lexemes = _lexemes(Value(query, output_field=TextField()))
    tags = Tag.objects.alias(lexemes=_lexemes("name")).filter(lexemes__overlap=query_lexemes)
    topics = Topic.objects.alias(lexemes=_lexemes("name")).filter(lexemes__overlap=query_lexemes)
    topic_links = Project.topics.through.objects.filter(topic__in=topics)
    candidates = Q(pk__in=topic_links.values("project_id"))
    for through in (Project.technologies.through, Project.vendors.through):
        candidates |= Q(pk__in=through.objects.filter(tag__in=tags).values("project_id"))
    return candidates


def _postgres_search(queryset: QuerySet["Project"], query: str) -> QuerySet["Project"]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    from .models import Project

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    own_matches = (
        Project.objects.annotate(own_vector=own_text_vector())
        .filter(own_vector=search_query)
        .values("pk")
    )
    candidates = Q(pk__in=own_matches) | _related_candidates(query)
    matches = (
        queryset.filter(candidates)
        .annotate(search_vector=own_text_vector() + _related_vector())
        .filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
    )
    return _order_by_rank(matches)
