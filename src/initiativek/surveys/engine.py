"""The questionnaire engine's rules for one answer: parsing what was typed, checking it against
the question (type, range, choices) and showing it again.

Plain Python on the question's attributes – no database access – so the same rules serve the
form, the service (which checks again before storing) and the tests.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .constants import (
    NUMBER_LIMIT,
    OTHER_MAX_LENGTH,
    PERCENT_MAX,
    PERCENT_MIN,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX_LENGTH,
    QuestionKind,
)

OTHER = "other"  # the form value of the "Sonstiges" option
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class AnswerValue:
    """What an organization answered to one question, whatever the kind."""

    choice_ids: tuple[int, ...] = ()
    other: str = ""
    number: Decimal | None = None
    boolean: bool | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.choice_ids
            or self.other
            or self.number is not None
            or self.boolean is not None
            or self.text
        )


EMPTY = AnswerValue()


def value_range(question) -> tuple[Decimal | None, Decimal | None]:
    """The allowed range of a numeric question (None: no bound besides the storage limit)."""
    if question.kind == QuestionKind.SCALE:
        return Decimal(SCALE_MIN), Decimal(SCALE_MAX)
    if question.kind == QuestionKind.PERCENTAGE:
        return PERCENT_MIN, PERCENT_MAX
    if question.kind == QuestionKind.NUMBER:
        return question.min_value, question.max_value
    return None, None


_GERMAN_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
# Beyond this many digits before the decimal point a number is refused before any arithmetic
# (Decimal("1e1000000") would overflow the context in comparisons).
_MAX_DIGITS = 12


_ENGLISH_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")


def number_parse(raw: str) -> Decimal:
    """A number as people type it: "12,5", "1.234,5", "1.234", "12.5", "40 %" – and in the
    English interface also "1,234.5" (a comma between groups of three digits)."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    english = (translation.get_language() or "").startswith("en")
    if english and _ENGLISH_THOUSANDS.match(text):
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            _("Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5."), code="not_a_number"
        ) from exc
    if not number.is_finite():
        raise ValidationError(_("Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5."))
    if number and number.adjusted() >= _MAX_DIGITS:
        raise ValidationError(_("Diese Zahl ist zu groß."), code="too_large")
    return number


def _format(number: Decimal) -> str:
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def _check_number(question, number: Decimal) -> None:
    if not number.is_finite() or (number and number.adjusted() >= _MAX_DIGITS):
        raise ValidationError(_("Diese Zahl ist zu groß."), code="too_large")
    if question.kind == QuestionKind.SCALE and number != number.to_integral_value():
        raise ValidationError(_("Bitte wählen Sie einen Wert von 1 bis 5."), code="scale")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            _("Bitte geben Sie höchstens zwei Nachkommastellen an."), code="decimals"
        )
    low, high = value_range(question)
    if number.copy_abs() > NUMBER_LIMIT:
        raise ValidationError(_("Diese Zahl ist zu groß."), code="too_large")
    if low is not None and high is not None and not low <= number <= high:
        raise ValidationError(
            _("Bitte geben Sie einen Wert von %(low)s bis %(high)s an.")
            % {"low": _format(low), "high": _format(high)},
            code="range",
        )
    if low is not None and number < low:
        raise ValidationError(
            _("Bitte geben Sie mindestens %(low)s an.") % {"low": _format(low)}, code="range"
        )
    if high is not None and number > high:
        raise ValidationError(
            _("Bitte geben Sie höchstens %(high)s an.") % {"high": _format(high)}, code="range"
        )


def _check_choices(question, value: AnswerValue, choice_ids: Iterable[int]) -> None:
    known = set(choice_ids)
    if any(choice_id not in known for choice_id in value.choice_ids):
        raise ValidationError(
            _("Diese Antwortmöglichkeit gibt es bei dieser Frage nicht."), code="invalid_choice"
        )
    if len(set(value.choice_ids)) != len(value.choice_ids):
        raise ValidationError(_("Jede Antwortmöglichkeit zählt nur einmal."), code="duplicate")
    if value.other and not question.allow_other:
        raise ValidationError(
            _("Bei dieser Frage gibt es keine Antwort „Sonstiges“."), code="no_other"
        )
    if len(value.other) > OTHER_MAX_LENGTH:
        raise ValidationError(
            _("„Sonstiges“ darf höchstens %(max)s Zeichen lang sein.") % {"max": OTHER_MAX_LENGTH}
        )
    picked = len(value.choice_ids) + (1 if value.other else 0)
    if question.kind == QuestionKind.SINGLE and picked > 1:
        raise ValidationError(_("Bitte wählen Sie nur eine Antwort."), code="single")


def value_check(question, value: AnswerValue, *, choice_ids: Iterable[int] = ()) -> None:
    """Raise ValidationError (with a message for the person answering) unless ``value`` is a
    valid answer to ``question``. An empty value is valid here; required questions are checked
    on submission (``missing_required``)."""
    if value.is_empty:
        return
    kind = question.kind
    allowed = {
        QuestionKind.SINGLE: {"choice_ids", "other"},
        QuestionKind.MULTIPLE: {"choice_ids", "other"},
        QuestionKind.SCALE: {"number"},
        QuestionKind.NUMBER: {"number"},
        QuestionKind.PERCENTAGE: {"number"},
        QuestionKind.YES_NO: {"boolean"},
        QuestionKind.TEXT: {"text"},
    }[kind]
    present = {
        name
        for name, filled in (
            ("choice_ids", bool(value.choice_ids)),
            ("other", bool(value.other)),
            ("number", value.number is not None),
            ("boolean", value.boolean is not None),
            ("text", bool(value.text)),
        )
        if filled
    }
    if not present <= allowed:
        raise ValidationError(_("Diese Antwort passt nicht zum Fragetyp."), code="wrong_type")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        _check_choices(question, value, choice_ids)
    elif value.number is not None:
        _check_number(question, value.number)
    elif len(value.text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Bitte fassen Sie sich kürzer: höchstens %(max)s Zeichen.") % {"max": TEXT_MAX_LENGTH}
        )


def value_parse(question, raw: str | list[str] | None, other: str = "") -> AnswerValue:
    """What was typed or picked in the form, as an AnswerValue (not yet checked against the
    question's choices and range – see ``value_check``)."""
    other = (other or "").strip()
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        picked = [raw] if isinstance(raw, str) else list(raw or [])
        picked = [item for item in picked if item]
        wants_other = OTHER in picked
        ids = []
        for item in picked:
            if item == OTHER:
                continue
            try:
                ids.append(int(item))
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    _("Diese Antwortmöglichkeit gibt es bei dieser Frage nicht."),
                    code="invalid_choice",
                ) from exc
        if wants_other and not other:
            raise ValidationError(
                _("Bitte geben Sie an, was Sie mit „Sonstiges“ meinen."), code="other_missing"
            )
        if kind == QuestionKind.SINGLE and ids and not wants_other:
            other = ""  # a left-over "Sonstiges" text doesn't count once another option is picked
        return AnswerValue(choice_ids=tuple(sorted(ids)), other=other)
    text = (raw if isinstance(raw, str) else "") or ""
    text = text.strip()
    if not text:
        return EMPTY
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
        return AnswerValue(number=number_parse(text))
    if kind == QuestionKind.YES_NO:
        if text not in (YES, NO):
            raise ValidationError(_("Bitte wählen Sie „Ja“ oder „Nein“."), code="yes_no")
        return AnswerValue(boolean=text == YES)
    return AnswerValue(text=text.replace("\r\n", "\n"))


def value_hash(value: AnswerValue) -> str:
    """A short fingerprint of an answer: the form carries the fingerprints of what it showed,
    so a save only writes the answers the person changed and notices answers that someone
    else changed in the meantime."""
    number = "" if value.number is None else f"{value.number.quantize(Decimal('0.01')):f}"
    boolean = "" if value.boolean is None else str(value.boolean)
    parts = [",".join(map(str, sorted(value.choice_ids))), value.other, number, boolean, value.text]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def value_display(question, value: AnswerValue, *, labels: dict[int, str]) -> str:
    """The answer as a short text (history, exports): "VPN; VDI; Sonstiges: Citrix"."""
    if value.is_empty:
        return ""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parts = [labels.get(choice_id, "?") for choice_id in value.choice_ids]
        if value.other:
            parts.append(_("Sonstiges: %(text)s") % {"text": value.other})
        return "; ".join(parts)
    if value.number is not None:
        shown = _format(value.number)
        if question.kind == QuestionKind.PERCENTAGE:
            return f"{shown} %"
        if question.kind == QuestionKind.NUMBER and question.unit:
            return f"{shown} {question.unit}"
        return shown
    if value.boolean is not None:
        return _("Ja") if value.boolean else _("Nein")
    return value.text


def value_from_answer(answer, *, choice_ids: Iterable[int] | None = None) -> AnswerValue:
    """The stored Answer as an AnswerValue (``choice_ids`` if already loaded)."""
    if choice_ids is None:
        choice_ids = [choice.pk for choice in answer.choices.all()]
    return AnswerValue(
        choice_ids=tuple(sorted(choice_ids)),
        other=answer.other_text,
        number=answer.number_value,
        boolean=answer.bool_value,
        text=answer.text_value,
    )


def missing_required(questions: Iterable, values: dict[int, AnswerValue]) -> list:
    """Required, still asked questions without an answer in ``values`` (question pk → value)."""
    return [
        question
        for question in questions
        if question.required and not question.is_retired and values.get(question.pk, EMPTY).is_empty
    ]
