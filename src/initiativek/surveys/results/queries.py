"""The database reads behind the results – each a GROUP BY over cells, never one row per answer.

A cell is (Regierungsbezirk key, size class) of the answering organization; summing cells
gives every comparison group in Python. Only submitted responses count. Query count is fixed:
it doesn't grow with the number of responses.
"""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, TextField, When
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


def answer_cells(questionnaire: Questionnaire) -> dict[int, dict[Cell, dict[str, int]]]:
    """Per question and cell: answered, "Sonstiges", yes, no, texts (incl. "Sonstiges")."""
    has_choice = Exists(_CHOICE_LINK.objects.filter(answer_id=OuterRef("pk")))
    answered = (
        Q(has_choice=True)
        | Q(number_value__isnull=False)
        | Q(bool_value__isnull=False)
        | ~Q(text_value="")
        | ~Q(other_text="")
    )
    rows = (
        submitted_answers(questionnaire)
        .annotate(has_choice=has_choice, **cell_annotations("response__"))
        .values("question_id", "bezirk", "size")
        .annotate(
            answered=Count("pk", filter=answered),
            other=Count("pk", filter=~Q(other_text="")),
            yes=Count("pk", filter=Q(bool_value=True)),
            no=Count("pk", filter=Q(bool_value=False)),
            texts=Count("pk", filter=~Q(text_value="") | ~Q(other_text="")),
        )
        .order_by()
    )
    cells: dict[int, dict[Cell, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        counts = cells[row["question_id"]].setdefault(_cell(row), defaultdict(int))
        for name in ("answered", "other", "yes", "no", "texts"):
            counts[name] += row[name]
    return cells


def choice_cells(questionnaire: Questionnaire) -> dict[int, dict[Cell, dict[int, int]]]:
    """Per question and cell: how often each choice was picked."""
    rows = (
        _CHOICE_LINK.objects.filter(
            answer__response__questionnaire=questionnaire,
            answer__response__status=ResponseStatus.SUBMITTED,
        )
        .annotate(**cell_annotations("answer__response__"))
        .values("answer__question_id", "choice_id", "bezirk", "size")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int, dict[Cell, dict[int, int]]] = defaultdict(dict)
    for row in rows:
        counts = cells[row["answer__question_id"]].setdefault(_cell(row), defaultdict(int))
        counts[row["choice_id"]] += row["n"]
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
