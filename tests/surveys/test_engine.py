"""The engine's rules for one answer: parsing, types, ranges, choices, required."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from initiativek.surveys import engine
from initiativek.surveys.constants import QuestionKind
from initiativek.surveys.engine import AnswerValue


def question(kind, **attrs):
    defaults = {
        "kind": kind,
        "min_value": None,
        "max_value": None,
        "allow_other": False,
        "required": False,
        "is_retired": False,
        "unit": "",
        "pk": 1,
    }
    return SimpleNamespace(**{**defaults, **attrs})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", Decimal("12")),
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("12.5", Decimal("12.5")),
        (" 40 % ", Decimal("40")),
        ("-3", Decimal("-3")),
        ("0.500", Decimal("0.5")),
    ],
)
def test_numbers_are_read_as_people_type_them(typed, expected):
    assert engine.number_parse(typed) == expected


def test_absurdly_large_numbers_are_refused_before_any_arithmetic():
    for typed in ("1e1000000", "-1e999999999", "9" * 40):
        with pytest.raises(ValidationError, match="zu groß"):
            engine.number_parse(typed)


def test_a_left_over_other_text_does_not_count_when_another_option_is_picked():
    single = question(QuestionKind.SINGLE, allow_other=True)
    assert engine.value_parse(single, "1", "alter Text") == AnswerValue(choice_ids=(1,))
    assert engine.value_parse(single, "", "Citrix") == AnswerValue(other="Citrix")


@pytest.mark.parametrize("typed", ["zwölf", "1,2,3", "NaN", "Infinity", "--1", "1e"])
def test_text_that_is_no_number_gets_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        engine.number_parse(typed)
    assert "Bitte geben Sie eine Zahl ein" in error.value.messages[0]


def test_percentages_must_lie_between_0_and_100():
    q = question(QuestionKind.PERCENTAGE)
    engine.value_check(q, AnswerValue(number=Decimal(0)))
    engine.value_check(q, AnswerValue(number=Decimal(100)))
    with pytest.raises(ValidationError, match="von 0 bis 100"):
        engine.value_check(q, AnswerValue(number=Decimal("100.5")))
    with pytest.raises(ValidationError):
        engine.value_check(q, AnswerValue(number=Decimal(-1)))


def test_scale_accepts_whole_values_1_to_5_only():
    q = question(QuestionKind.SCALE)
    for value in range(1, 6):
        engine.value_check(q, AnswerValue(number=Decimal(value)))
    for bad in ("0", "6", "2.5"):
        with pytest.raises(ValidationError):
            engine.value_check(q, AnswerValue(number=Decimal(bad)))


def test_number_range_of_the_question_applies_with_one_or_two_bounds():
    between = question(QuestionKind.NUMBER, min_value=Decimal(0), max_value=Decimal(500))
    with pytest.raises(ValidationError, match="von 0 bis 500"):
        engine.value_check(between, AnswerValue(number=Decimal(501)))
    at_least = question(QuestionKind.NUMBER, min_value=Decimal(1))
    with pytest.raises(ValidationError, match="mindestens 1"):
        engine.value_check(at_least, AnswerValue(number=Decimal(0)))
    engine.value_check(at_least, AnswerValue(number=Decimal(10_000)))


def test_more_than_two_decimals_and_huge_numbers_are_refused():
    q = question(QuestionKind.NUMBER)
    with pytest.raises(ValidationError, match="zwei Nachkommastellen"):
        engine.value_check(q, AnswerValue(number=Decimal("1.234")))
    with pytest.raises(ValidationError, match="zu groß"):
        engine.value_check(q, AnswerValue(number=Decimal("1e12")))


def test_a_value_of_the_wrong_type_is_refused():
    with pytest.raises(ValidationError, match="passt nicht zum Fragetyp"):
        engine.value_check(question(QuestionKind.TEXT), AnswerValue(number=Decimal(3)))
    with pytest.raises(ValidationError, match="passt nicht zum Fragetyp"):
        engine.value_check(question(QuestionKind.YES_NO), AnswerValue(text="ja"))
    with pytest.raises(ValidationError, match="passt nicht zum Fragetyp"):
        engine.value_check(question(QuestionKind.NUMBER), AnswerValue(choice_ids=(1,)))


def test_choices_must_belong_to_the_question():
    q = question(QuestionKind.MULTIPLE)
    engine.value_check(q, AnswerValue(choice_ids=(1, 2)), choice_ids=[1, 2, 3])
    with pytest.raises(ValidationError, match="gibt es bei dieser Frage nicht"):
        engine.value_check(q, AnswerValue(choice_ids=(1, 99)), choice_ids=[1, 2, 3])


def test_single_choice_allows_one_answer_including_other():
    q = question(QuestionKind.SINGLE, allow_other=True)
    engine.value_check(q, AnswerValue(other="Citrix"), choice_ids=[1, 2])
    with pytest.raises(ValidationError, match="nur eine Antwort"):
        engine.value_check(q, AnswerValue(choice_ids=(1, 2)), choice_ids=[1, 2])
    with pytest.raises(ValidationError, match="nur eine Antwort"):
        engine.value_check(q, AnswerValue(choice_ids=(1,), other="x"), choice_ids=[1, 2])


def test_other_text_needs_the_question_to_offer_it():
    with pytest.raises(ValidationError, match="keine Antwort „Sonstiges“"):
        engine.value_check(question(QuestionKind.MULTIPLE), AnswerValue(other="x"), choice_ids=[1])


def test_picking_other_without_saying_what_is_refused():
    q = question(QuestionKind.MULTIPLE, allow_other=True)
    with pytest.raises(ValidationError, match="was Sie mit „Sonstiges“ meinen"):
        engine.value_parse(q, ["1", engine.OTHER], "  ")
    assert engine.value_parse(q, ["2", engine.OTHER, "1"], " Citrix ") == AnswerValue(
        choice_ids=(1, 2), other="Citrix"
    )


def test_forged_choice_value_is_refused_when_parsing():
    with pytest.raises(ValidationError, match="gibt es bei dieser Frage nicht"):
        engine.value_parse(question(QuestionKind.SINGLE), "abc")


def test_yes_no_accepts_only_ja_or_nein():
    q = question(QuestionKind.YES_NO)
    assert engine.value_parse(q, "ja") == AnswerValue(boolean=True)
    assert engine.value_parse(q, "nein") == AnswerValue(boolean=False)
    assert engine.value_parse(q, "") == engine.EMPTY
    with pytest.raises(ValidationError):
        engine.value_parse(q, "vielleicht")


def test_empty_input_is_an_empty_answer_for_every_kind():
    for kind in QuestionKind.values:
        assert engine.value_parse(question(kind), "" if kind != "multiple" else []).is_empty


def test_missing_required_lists_required_asked_questions_without_answer():
    required = question(QuestionKind.TEXT, pk=1, required=True)
    retired = question(QuestionKind.TEXT, pk=2, required=True, is_retired=True)
    optional = question(QuestionKind.TEXT, pk=3)
    answered = question(QuestionKind.TEXT, pk=4, required=True)
    values = {4: AnswerValue(text="x")}
    assert engine.missing_required([required, retired, optional, answered], values) == [required]


def test_display_shows_units_percent_and_other():
    labels = {1: "VPN", 2: "VDI"}
    multiple = question(QuestionKind.MULTIPLE, allow_other=True)
    assert (
        engine.value_display(multiple, AnswerValue(choice_ids=(1, 2), other="X"), labels=labels)
        == "VPN; VDI; Sonstiges: X"
    )
    percent = question(QuestionKind.PERCENTAGE)
    assert engine.value_display(percent, AnswerValue(number=Decimal("12.50")), labels={}) == (
        "12,50 %"
    )
    devices = question(QuestionKind.NUMBER, unit="Geräte")
    assert (
        engine.value_display(devices, AnswerValue(number=Decimal(1200)), labels={})
        == "1.200 Geräte"
    )


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_every_percentage_with_two_places_typed_the_german_way_is_accepted(number):
    q = question(QuestionKind.PERCENTAGE)
    typed = f"{number:f}".replace(".", ",")
    value = engine.value_parse(q, typed)
    engine.value_check(q, value)
    assert value.number == number


def test_the_english_interface_reads_commas_between_thousands():
    from django.utils import translation

    with translation.override("en"):
        assert engine.number_parse("1,234.5") == Decimal("1234.5")
        assert engine.number_parse("1,000") == Decimal("1000")
        assert engine.number_parse("12,5") == Decimal("12.5")
    assert engine.number_parse("1,000") == Decimal("1")
