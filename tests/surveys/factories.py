"""Factories for questionnaires and responses.

``QuestionnaireFactory()`` is a published questionnaire open since yesterday for four weeks;
traits: ``draft``, ``closed`` (closed yesterday), ``scheduled`` (opens in a week), ``template``.
``QuestionFactory(kind=…)`` creates a question in its questionnaire's first section;
single/multiple choice questions get three choices "A", "B", "C" unless ``choices=[…]``.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from initiativek.surveys.constants import QuestionKind, QuestionnaireStatus, ResponseStatus
from initiativek.surveys.models import (
    Answer,
    Choice,
    Question,
    Questionnaire,
    Response,
    Section,
)
from tests.organizations.factories import OrganizationFactory


def _today():
    return timezone.localdate()


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = factory.Sequence(lambda n: f"Umfrage {n}")
    slug = factory.Sequence(lambda n: f"umfrage-{n}")
    introduction = "Bitte beantworten Sie die Fragen für Ihre Organisation."
    status = QuestionnaireStatus.PUBLISHED
    opens_on = factory.LazyFunction(lambda: _today() - timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: _today() + timedelta(days=28))

    class Params:
        draft = factory.Trait(status=QuestionnaireStatus.DRAFT)
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: _today() - timedelta(days=30)),
            closes_on=factory.LazyFunction(lambda: _today() - timedelta(days=1)),
        )
        scheduled = factory.Trait(
            opens_on=factory.LazyFunction(lambda: _today() + timedelta(days=7)),
            closes_on=factory.LazyFunction(lambda: _today() + timedelta(days=35)),
        )
        template = factory.Trait(
            is_template=True, status=QuestionnaireStatus.DRAFT, opens_on=None, closes_on=None
        )


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Abschnitt {n}")
    position = factory.Sequence(lambda n: n)


def _section_for(question):
    section = question.questionnaire.sections.order_by("position", "id").first()
    return section or SectionFactory(questionnaire=question.questionnaire)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    section = factory.LazyAttribute(_section_for)
    key = factory.Sequence(lambda n: f"frage-{n}")
    text = factory.Sequence(lambda n: f"Frage {n}?")
    kind = QuestionKind.SINGLE
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create or self.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return
        labels = extracted if extracted is not None else ["A", "B", "C"]
        for position, label in enumerate(labels):
            Choice.objects.create(question=self, label=label, position=position)


class ResponseFactory(factory.django.DjangoModelFactory):
    """A draft response; ``submitted=True`` for a submitted one."""

    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = ResponseStatus.DRAFT

    class Params:
        submitted = factory.Trait(
            status=ResponseStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class AnswerFactory(factory.django.DjangoModelFactory):
    """``AnswerFactory(response=…, question=…, number_value=…)``; for choice questions pass
    ``choices=[choice, …]``."""

    class Meta:
        model = Answer
        skip_postgeneration_save = True

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create and extracted:
            self.choices.set(extracted)
