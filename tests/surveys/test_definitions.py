import importlib
import re

import pytest
from django.apps import apps

from initiativek.surveys.constants import CHOICE_KINDS, QuestionKind, QuestionnaireStatus
from initiativek.surveys.definitions import (
    DEFINITIONS,
    EVENT_FEEDBACK,
    HOMEOFFICE,
    definition_apply,
    real_models,
)
from initiativek.surveys.models import Choice, Question, Questionnaire, Section
from tests.surveys.factories import ResponseFactory

seed_migration = importlib.import_module("initiativek.surveys.migrations.0002_seed_questionnaires")

ALL_DEFINITIONS = pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.slug)


def _texts(definition):
    yield definition.title
    yield definition.introduction
    for section in definition.sections:
        yield section.title
        yield section.description
        for question in section.questions:
            yield from (question.text, question.help_text, question.unit)
            yield from (question.scale_min_label, question.scale_max_label)
            yield from question.choices


def _counts():
    return tuple(model.objects.count() for model in (Questionnaire, Section, Question, Choice))


def test_homeoffice_questionnaire_has_15_to_25_questions_in_4_to_6_sections():
    assert 15 <= len(HOMEOFFICE.questions) <= 25
    assert 4 <= len(HOMEOFFICE.sections) <= 6
    assert not HOMEOFFICE.is_template


def test_homeoffice_questionnaire_uses_every_question_kind():
    assert {question.kind for question in HOMEOFFICE.questions} == set(QuestionKind)


def test_only_the_core_comparable_questions_are_required():
    required = {question.key for question in HOMEOFFICE.questions if question.required}
    assert {"anteil-moeglich-vorher", "anteil-moeglich-2021", "it-belastung"} <= required
    assert len(required) <= len(HOMEOFFICE.questions) // 3


def test_homeoffice_questions_state_their_reference_period():
    periods = ("vor März 2020", "Frühjahr 2020", "Frühjahr 2021", "seit März 2020", "2019")
    undated = [
        q.key
        for q in HOMEOFFICE.questions
        if q.kind != QuestionKind.TEXT and not any(period in q.text for period in periods)
    ]
    assert undated == []


def test_feedback_template_has_6_to_10_questions_and_is_a_template():
    assert 6 <= len(EVENT_FEEDBACK.questions) <= 10
    assert EVENT_FEEDBACK.is_template
    assert EVENT_FEEDBACK.slug == "vorlage-feedback-veranstaltung"


@ALL_DEFINITIONS
def test_question_keys_are_unique_slugs(definition):
    keys = [question.key for question in definition.questions]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) and len(key) <= 60 for key in keys)


@ALL_DEFINITIONS
def test_texts_are_filled_in_and_proper_german(definition):
    assert definition.title and definition.introduction
    for section in definition.sections:
        assert section.title and section.questions
    for question in definition.questions:
        assert question.text.endswith("?"), question.key
    for text in _texts(definition):
        assert "TODO" not in text.upper()
        assert '"' not in text, text  # German quotes „…“
        assert "  " not in text and text == text.strip(), text


@ALL_DEFINITIONS
def test_choice_questions_offer_at_least_two_distinct_choices(definition):
    for question in definition.questions:
        labels = [label.casefold() for label in question.choices]
        if question.kind in CHOICE_KINDS:
            assert len(labels) >= 2, question.key
            assert len(labels) == len(set(labels)), question.key
            assert "sonstiges" not in labels, question.key  # allow_other adds it
        else:
            assert not labels and not question.allow_other, question.key


@ALL_DEFINITIONS
def test_scales_have_labelled_ends_and_numbers_a_sane_range(definition):
    for question in definition.questions:
        is_scale = question.kind == QuestionKind.SCALE
        assert bool(question.scale_min_label and question.scale_max_label) == is_scale
        if question.kind == QuestionKind.NUMBER:
            assert question.unit
            assert question.min_value is not None and question.max_value is not None
            assert 0 <= question.min_value < question.max_value <= 1_000_000
        else:
            assert (question.unit, question.min_value, question.max_value) == ("", None, None)


@pytest.mark.django_db
@ALL_DEFINITIONS
def test_the_migration_seeded_the_questionnaire(definition):
    questionnaire = Questionnaire.objects.get(slug=definition.slug)
    assert questionnaire.title == definition.title
    assert questionnaire.is_template == definition.is_template
    assert questionnaire.status == QuestionnaireStatus.DRAFT
    assert (questionnaire.opens_on, questionnaire.closes_on) == (None, None)
    questions = list(questionnaire.questions.order_by("section__position", "position"))
    assert [q.key for q in questions] == [q.key for q in definition.questions]
    assert [s.title for s in questionnaire.sections.all()] == [s.title for s in definition.sections]
    for question, expected in zip(questions, definition.questions, strict=True):
        question.full_clean()  # the texts fit the fields
        assert tuple(question.choices.values_list("label", flat=True)) == expected.choices


@pytest.mark.django_db
def test_definition_apply_is_idempotent_and_keeps_the_teams_edits():
    seeded = Questionnaire.objects.get(slug=HOMEOFFICE.slug)
    seeded.title = "Homeoffice (überarbeitet)"
    seeded.save()
    before = _counts()
    assert definition_apply(HOMEOFFICE, models=real_models()) == seeded
    assert _counts() == before
    assert Questionnaire.objects.get(pk=seeded.pk).title == "Homeoffice (überarbeitet)"


@pytest.mark.django_db
def test_definition_apply_creates_a_missing_questionnaire_as_draft():
    Questionnaire.objects.filter(slug=EVENT_FEEDBACK.slug).delete()
    questionnaire = definition_apply(EVENT_FEEDBACK, models=real_models())
    assert questionnaire.phase() == "template"
    assert questionnaire.questions.count() == len(EVENT_FEEDBACK.questions)


@pytest.mark.django_db
def test_reverting_the_migration_keeps_answered_questionnaires():
    answered = Questionnaire.objects.get(slug=HOMEOFFICE.slug)
    ResponseFactory(questionnaire=answered)
    seed_migration.unseed(apps, None)
    assert set(Questionnaire.objects.values_list("slug", flat=True)) == {HOMEOFFICE.slug}
    seed_migration.seed(apps, None)
    assert Questionnaire.objects.filter(slug=EVENT_FEEDBACK.slug).exists()
