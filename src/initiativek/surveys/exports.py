"""All responses of a questionnaire as CSV (German Excel: UTF-8 with BOM, ``;``, decimal comma)
and XLSX (numbers as numeric cells, a second sheet describing the questions).

One row per response, drafts included; one column per question in questionnaire order (retired
ones too), headed by the question's key. Text cells are guarded against formula injection
(``core.spreadsheets.safe_cell``). Responses are read in chunks, each chunk's answers and chosen
choices in two more queries, so the number of queries grows with the chunks, not the responses.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from initiativek.core.spreadsheets import safe_cell
from initiativek.organizations import selectors as organization_selectors
from initiativek.organizations.constants import OrganizationKind

from . import engine, selectors
from .constants import NUMERIC_KINDS, QuestionKind, ResponseStatus
from .models import Answer, Question, Questionnaire, Response
from .results.groups import organization_bezirk

CHUNK_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class ExportQuestion:
    question: Question
    section_title: str
    labels: dict[int, str]  # choice pk → label


def export_questions(*, questionnaire: Questionnaire) -> list[ExportQuestion]:
    """Every question in questionnaire order, retired ones too (three queries)."""
    return [
        ExportQuestion(
            question=question,
            section_title=section.title,
            labels={choice.pk: choice.label for choice in question.choices.all()},
        )
        for section, questions in selectors.questionnaire_structure(
            questionnaire=questionnaire, include_retired=True
        )
        for question in questions
    ]


def response_header(questions: list[ExportQuestion]) -> list[str]:
    fixed = [
        _("Organisation"),
        _("AGS"),
        _("Art"),
        _("Regierungsbezirk"),
        _("Einwohnerzahl"),
        _("Status"),
        _("abgeschickt am"),
        _("zuletzt geändert"),
        _("Namensnennung erlaubt"),
        _("Kontakt erlaubt"),
    ]
    return fixed + [item.question.key for item in questions]


def _when(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nein")


def _answer_cell(item: ExportQuestion, value: engine.AnswerValue | None) -> Cell:
    """Numbers stay numbers (for the spreadsheet to compute with); everything else is the
    answer as ``engine.value_display`` shows it."""
    if value is None:
        return None
    if item.question.kind in NUMERIC_KINDS and value.number is not None:
        return value.number
    return engine.value_display(item.question, value, labels=item.labels) or None


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _answer_values(response_ids: list[int]) -> dict[int, dict[int, engine.AnswerValue]]:
    """response pk → question pk → answer, in two queries of plain values (no model
    instances: building them dominated the time of large exports)."""
    picked: dict[int, list[int]] = defaultdict(list)
    links = Answer.choices.through.objects.filter(answer__response_id__in=response_ids)
    for answer_id, choice_id in links.values_list("answer_id", "choice_id"):
        picked[answer_id].append(choice_id)
    values: dict[int, dict[int, engine.AnswerValue]] = defaultdict(dict)
    answers = Answer.objects.filter(response_id__in=response_ids).values_list(
        "pk", "response_id", "question_id", "other_text", "number_value", "bool_value", "text_value"
    )
    for pk, response_id, question_id, other, number, boolean, text in answers:
        values[response_id][question_id] = engine.AnswerValue(
            choice_ids=tuple(sorted(picked.get(pk, ()))),
            other=other,
            number=number,
            boolean=boolean,
            text=text,
        )
    return values


def response_rows(
    *, questionnaire: Questionnaire, questions: list[ExportQuestion]
) -> Iterator[list[Cell]]:
    """One row per response by organization name (header: ``response_header``): three
    queries per ``CHUNK_SIZE`` responses."""
    regierungsbezirke = {
        region.key: region.name for region in organization_selectors.region_regierungsbezirke()
    }
    kinds = {value: str(label) for value, label in OrganizationKind.choices}
    statuses = {value: str(label) for value, label in ResponseStatus.choices}
    yes_no = {True: _yes_no(True), False: _yes_no(False)}
    responses = (
        Response.objects.filter(questionnaire=questionnaire)
        .select_related("organization__region", "organization__parent")
        .order_by("organization__name", "pk")
    )
    for batch in _batches(responses.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        values = _answer_values([response.pk for response in batch])
        for response in batch:
            organization = response.organization
            # The same Regierungsbezirk as the results' comparison groups (AGS, parent, region).
            bezirk = organization_bezirk(organization) or ""
            answers = values.get(response.pk, {})
            yield [
                organization.name,
                organization.ags,
                kinds.get(organization.kind, organization.kind),
                regierungsbezirke.get(bezirk, ""),
                organization.population,
                statuses.get(response.status, response.status),
                _when(response.submitted_at),
                _when(response.updated_at),
                yes_no[response.consent_named_text],
                yes_no[response.consent_contact],
                *(_answer_cell(item, answers.get(item.question.pk)) for item in questions),
            ]


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        text = str(int(cell)) if cell == cell.to_integral_value() else f"{cell:f}".rstrip("0")
        return text.replace(".", ",")
    if isinstance(cell, int):
        return str(cell)
    return safe_cell(cell)


def responses_csv(*, questionnaire: Questionnaire) -> tuple[bytes, int]:
    """The CSV file and its number of data rows."""
    questions = export_questions(questionnaire=questionnaire)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(label) for label in response_header(questions)])
    count = 0
    for row in response_rows(questionnaire=questionnaire, questions=questions):
        writer.writerow([_csv_cell(cell) for cell in row])
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


def _xlsx_cell(cell: Cell) -> str | int | float | None:
    if isinstance(cell, Decimal):
        return int(cell) if cell == cell.to_integral_value() else float(cell)
    if isinstance(cell, str):
        return safe_cell(cell)
    return cell


def _number_text(number: Decimal | None) -> str:
    if number is None:
        return ""
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def _range_text(question: Question) -> str:
    """Unit and range of a numeric question: "Geräte; 0 bis 500", "0 bis 100 %"."""
    if question.kind == QuestionKind.SCALE:
        return _("1 = %(low)s … 5 = %(high)s") % {
            "low": question.scale_min_label or "1",
            "high": question.scale_max_label or "5",
        }
    low, high = engine.value_range(question)
    if question.kind == QuestionKind.PERCENTAGE:
        return _("%(low)s bis %(high)s %%") % {"low": _number_text(low), "high": _number_text(high)}
    if question.kind != QuestionKind.NUMBER:
        return ""
    parts = [question.unit] if question.unit else []
    if low is not None or high is not None:
        parts.append(
            _("%(low)s bis %(high)s") % {"low": _number_text(low), "high": _number_text(high)}
        )
    return "; ".join(parts)


def _choices_text(item: ExportQuestion) -> str:
    question = item.question
    if question.kind == QuestionKind.YES_NO:
        return "; ".join([_("Ja"), _("Nein")])
    labels = list(item.labels.values())
    if question.allow_other and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels.append(_("Sonstiges (Freitext)"))
    return "; ".join(labels)


def question_header() -> list[str]:
    return [
        _("Kennung"),
        _("Abschnitt"),
        _("Frage"),
        _("Typ"),
        _("Pflicht"),
        _("Einheit/Bereich"),
        _("Antwortmöglichkeiten"),
        _("nicht mehr gefragt"),
    ]


def question_rows(questions: list[ExportQuestion]) -> list[list[str]]:
    return [
        [
            item.question.key,
            item.section_title,
            item.question.text,
            item.question.get_kind_display(),
            _yes_no(item.question.required),
            _range_text(item.question),
            _choices_text(item),
            _yes_no(item.question.is_retired),
        ]
        for item in questions
    ]


def _bold_row(sheet, labels: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=safe_cell(label))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def responses_xlsx(*, questionnaire: Questionnaire) -> tuple[bytes, int]:
    """The XLSX file (sheets "Antworten" and "Fragen") and its number of response rows.

    Written in openpyxl's write-only mode: rows go straight to the file, not into memory.
    """
    questions = export_questions(questionnaire=questionnaire)
    workbook = Workbook(write_only=True)
    answers_sheet = workbook.create_sheet(pgettext("Antworten auf Fragen", "Antworten"))
    answers_sheet.freeze_panes = "B2"
    answers_sheet.append(_bold_row(answers_sheet, response_header(questions)))
    count = 0
    for row in response_rows(questionnaire=questionnaire, questions=questions):
        answers_sheet.append([_xlsx_cell(cell) for cell in row])
        count += 1
    questions_sheet = workbook.create_sheet(_("Fragen"))
    questions_sheet.freeze_panes = "A2"
    questions_sheet.append(_bold_row(questions_sheet, question_header()))
    for row in question_rows(questions):
        questions_sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
