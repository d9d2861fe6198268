"""The database reads behind the results – each a GROUP BY over cells, never one row per answer.

A cell is (Regierungsbezirk key, size class) of the answering organization; summing cells
gives every comparison group in Python. Only submitted responses count. Query count is fixed:
it doesn't grow with the number of responses.

The two largest reads (every answer, every chosen choice) join the responses' cells, computed
once per response in a common table expression, instead of the organizations: the cell
expressions then don't run once per answer (for 11,000 responses: 236,000 answers, 160,000
chosen choices). Django can't join a subquery, so these two are SQL around the ORM's cell
query.
"""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, TextField, When
from django.db.models.expressions import Window
from django.db.models.functions import Lower, RowNumber

from ..constants import QuestionKind, ResponseStatus
from ..models import Answer, Questionnaire, Response
from .groups import bezirk_of_key, cell_annotations

Cell = tuple[str | None, int | None]

_SUBMITTED = {"response__status": ResponseStatus.SUBMITTED}
_CHOICE_LINK = Answer.choices.through


def _cell(row: dict) -> Cell:
    return bezirk_of_key(row["bezirk"]), row["size"]


def submitted_answers(questionnaire: Questionnaire) -> QuerySet[Answer]:
    return Answer.objects.filter(response__questionnaire=questionnaire, **_SUBMITTED)


def response_cells(questionnaire: Questionnaire) -> tuple[dict[Cell, int], bool]:
    """Submitted responses per cell, and whether any of them is demo data."""
    rows = (
        Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.SUBMITTED)
        .annotate(**cell_annotations(""))
        .values("bezirk", "size")
        .annotate(n=Count("pk"), demo=Count("pk", filter=Q(is_demo=True)))
        .order_by()
    )
    cells: dict[Cell, int] = defaultdict(int)
    has_demo = False
    for row in rows:
        cells[_cell(row)] += row["n"]
        has_demo = has_demo or row["demo"] > 0
    return dict(cells), has_demo


def _cells_sql(questionnaire: Questionnaire) -> tuple[str, tuple]:
    """SQL (with parameters) of the submitted responses' cells – columns ``response``,
    ``cell_bezirk``, ``cell_size``: ``cell_annotations`` compiled by the ORM for this
    database."""
    query = (
        Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.SUBMITTED)
        .annotate(**cell_annotations(""))
        .values(response=F("pk"), cell_bezirk=F("bezirk"), cell_size=F("size"))
        .order_by()
        .query
    )
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _by_cell(
    questionnaire: Questionnaire, source: str, keys: list[str], counts: list[str]
) -> list[tuple]:
    """Rows of ``keys``, bezirk, size, ``counts``: ``source`` (the answers as ``a``) joined
    with the responses' cells, grouped by the keys and the cell."""
    cells, params = _cells_sql(questionnaire)
    columns = ", ".join([*keys, "c.cell_bezirk", "c.cell_size", *counts])
    group_by = ", ".join(str(position) for position in range(1, len(keys) + 3))
    # PostgreSQL would otherwise merge the cells into the join and compute them per answer.
    materialized = " MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = (
        f"WITH c AS{materialized} ({cells}) "  # noqa: S608 – only this module's names and SQL
        f"SELECT {columns} FROM {source} "
        f"INNER JOIN c ON c.response = a.response_id GROUP BY {group_by}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_ANSWERED = (
    "EXISTS (SELECT 1 FROM {link} u WHERE u.answer_id = a.id)"
    " OR a.number_value IS NOT NULL OR a.bool_value IS NOT NULL"
    " OR a.text_value <> '' OR a.other_text <> ''"
)


def answer_cells(questionnaire: Questionnaire) -> dict[int, dict[Cell, dict[str, int]]]:
    """Per question and cell: answered, "Sonstiges", yes, no, texts (incl. "Sonstiges")."""
    answered = _ANSWERED.format(link=_table(_CHOICE_LINK))
    names = ("answered", "other", "yes", "no", "texts")
    rows = _by_cell(
        questionnaire,
        f"{_table(Answer)} a",
        ["a.question_id"],
        [
            f"COUNT(CASE WHEN {answered} THEN 1 END)",
            "COUNT(CASE WHEN a.other_text <> '' THEN 1 END)",
            "COUNT(CASE WHEN a.bool_value THEN 1 END)",
            "COUNT(CASE WHEN NOT a.bool_value THEN 1 END)",
            "COUNT(CASE WHEN a.text_value <> '' OR a.other_text <> '' THEN 1 END)",
        ],
    )
    cells: dict[int, dict[Cell, dict[str, int]]] = defaultdict(dict)
    for question_id, bezirk, size, *values in rows:
        counts = cells[question_id].setdefault((bezirk_of_key(bezirk), size), defaultdict(int))
        for name, value in zip(names, values, strict=True):
            counts[name] += value
    return cells


def choice_cells(questionnaire: Questionnaire) -> dict[int, dict[Cell, dict[int, int]]]:
    """Per question and cell: how often each choice was picked."""
    rows = _by_cell(
        questionnaire,
        f"{_table(_CHOICE_LINK)} l INNER JOIN {_table(Answer)} a ON a.id = l.answer_id",
        ["a.question_id", "l.choice_id"],
        ["COUNT(*)"],
    )
    cells: dict[int, dict[Cell, dict[int, int]]] = defaultdict(dict)
    for question_id, choice_id, bezirk, size, count in rows:
        counts = cells[question_id].setdefault((bezirk_of_key(bezirk), size), defaultdict(int))
        counts[choice_id] += count
    return cells


def number_cells(questionnaire: Questionnaire) -> dict[int, dict[Cell, dict[Decimal, int]]]:
    """Per numeric question and cell: the histogram of values (value → how many)."""
    rows = (
        submitted_answers(questionnaire)
        .filter(number_value__isnull=False)
        .annotate(**cell_annotations("response__"))
        .values("question_id", "number_value", "bezirk", "size")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int, dict[Cell, dict[Decimal, int]]] = defaultdict(dict)
    for row in rows:
        histogram = cells[row["question_id"]].setdefault(_cell(row), defaultdict(int))
        histogram[row["number_value"]] += row["n"]
    return cells


_SHOWN_TEXT = Case(
    When(~Q(text_value=""), then=F("text_value")),
    default=F("other_text"),
    output_field=TextField(),
)


def text_answers(questionnaire: Questionnaire) -> QuerySet:
    """Free texts and "Sonstiges" texts as dicts, ordered by the text itself – never by
    organization or response, so an anonymous text's position doesn't tell who wrote it."""
    return (
        submitted_answers(questionnaire)
        .filter(~Q(text_value="") | ~Q(other_text=""))
        .annotate(shown=_SHOWN_TEXT)
        .values(
            "question_id",
            "shown",
            "response__consent_named_text",
            "response__organization__name",
            "response__organization__slug",
        )
        .order_by(Lower("shown"), "shown", "pk")
    )


def text_answers_first(questionnaire: Questionnaire, limit: int) -> list[dict]:
    """The first ``limit`` texts of every question (in ``text_answers`` order)."""
    window = Window(
        RowNumber(),
        partition_by=[F("question_id")],
        order_by=[Lower("shown").asc(), F("shown").asc(), F("pk").asc()],
    )
    rows = text_answers(questionnaire).annotate(row=window).filter(row__lte=limit)
    return sorted(rows, key=lambda row: (row["question_id"], row["row"]))


def _contact_window(partition: list) -> dict:
    order = [F("organization_name").asc(), F("pk").asc()]
    return {
        "row": Window(RowNumber(), partition_by=partition, order_by=order),
        "total": Window(Count("pk"), partition_by=partition),
    }


class ContactRow(NamedTuple):
    question_id: int
    bucket: object  # choice pk, True/False, or scale value
    name: str
    slug: str
    total: int  # organizations with consent in this bucket
    row: int  # 1-based position by name


def contact_rows(
    questionnaire: Questionnaire, *, limit: int | None, question_id: int | None = None
) -> list[ContactRow]:
    """Organizations that agreed to be contacted, per choice / yes-no value / scale value, by
    name (at most ``limit`` per bucket; all with None), sorted by question, bucket, name."""
    links = _CHOICE_LINK.objects.filter(
        answer__response__questionnaire=questionnaire,
        answer__response__status=ResponseStatus.SUBMITTED,
        answer__response__consent_contact=True,
    ).annotate(
        organization_name=F("answer__response__organization__name"),
        organization_slug=F("answer__response__organization__slug"),
        question_pk=F("answer__question_id"),
        **_contact_window([F("answer__question_id"), F("choice_id")]),
    )
    values = (
        submitted_answers(questionnaire)
        .filter(
            response__consent_contact=True,
            question__kind__in=[QuestionKind.YES_NO, QuestionKind.SCALE],
        )
        .filter(Q(bool_value__isnull=False) | Q(number_value__isnull=False))
        .annotate(
            organization_name=F("response__organization__name"),
            organization_slug=F("response__organization__slug"),
            question_pk=F("question_id"),
            **_contact_window([F("question_id"), F("bool_value"), F("number_value")]),
        )
    )
    if question_id is not None:
        links = links.filter(answer__question_id=question_id)
        values = values.filter(question_id=question_id)
    if limit is not None:
        links, values = links.filter(row__lte=limit), values.filter(row__lte=limit)
    fields = ("question_pk", "organization_name", "organization_slug", "total", "row")
    result = [
        ContactRow(question, choice, name, slug, total, row)
        for question, name, slug, total, row, choice in links.values_list(*fields, "choice_id")
    ]
    for question, name, slug, total, row, boolean, number in values.values_list(
        *fields, "bool_value", "number_value"
    ):
        bucket = boolean if boolean is not None else int(number)
        result.append(ContactRow(question, bucket, name, slug, total, row))
    return sorted(result, key=lambda item: (item.question_id, str(item.bucket), item.row))
