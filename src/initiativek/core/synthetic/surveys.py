"""Stage 4: submitted responses to the home-office questionnaire, so its results page has
data. The questionnaire is published first if it is still a draft.

Answers follow the questionnaire engine's rules (every value passes ``engine.value_check``),
with plausible figures: shares grow from before the crisis to 2021, larger towns have more
devices, IT departments were under strain. Free texts end with "(synthetisch)".
"""

import datetime
import math
import random
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from initiativek.organizations.constants import MUNICIPAL_KINDS
from initiativek.surveys import engine, permissions
from initiativek.surveys.constants import (
    QuestionKind,
    QuestionnaireStatus,
    ResponseAction,
    ResponseStatus,
)
from initiativek.surveys.definitions import HOMEOFFICE, definition_apply, real_models
from initiativek.surveys.models import Answer, Question, Questionnaire, Response, ResponseChange
from initiativek.surveys.seeding import DEMO_TEXTS, FALLBACK_TEXT, FOLLOW_UPS

from .world import BATCH_SIZE, OrgInfo, Progress, World

MARK = "(synthetisch)"
SKIP_OPTIONAL = 0.12
OTHER_SHARE = 0.03
OPEN_DAYS = (30, 60)  # a draft questionnaire opens 30 days ago and closes in 60 days
CHUNK = 1_000


def questionnaire_ready(today: datetime.date) -> Questionnaire:
    """The home-office questionnaire (seeded by a migration; created if someone deleted
    it), published if it was a draft."""
    questionnaire = definition_apply(HOMEOFFICE, models=real_models())
    if questionnaire.status == QuestionnaireStatus.DRAFT and not questionnaire.is_template:
        questionnaire.status = QuestionnaireStatus.PUBLISHED
        questionnaire.opens_on = today - datetime.timedelta(days=OPEN_DAYS[0])
        questionnaire.closes_on = today + datetime.timedelta(days=OPEN_DAYS[1])
        questionnaire.full_clean()
        questionnaire.save()
    return questionnaire


def respondents(world: World, questionnaire: Questionnaire, count: int | None) -> list[OrgInfo]:
    """Organizations of the audience, municipalities first; ``count`` None: every member
    municipality."""
    answered = set(questionnaire.responses.values_list("organization_id", flat=True))
    audience = [
        org
        for org in world.members()
        if org.pk not in answered and permissions.is_in_audience(questionnaire, org)
    ]
    audience.sort(key=lambda org: org.kind not in MUNICIPAL_KINDS)
    if count is None:
        count = sum(1 for org in audience if org.kind in MUNICIPAL_KINDS)
    return audience[:count]


def _number(rng: random.Random, question: Question, org: OrgInfo, given: dict) -> Decimal:
    key = question.key
    if key == "anteil-moeglich-vorher":
        value = rng.choice((0, 5, 5, 10, 10, 15, 20, 25, 30, 40))
    elif key == "anteil-moeglich-2021":
        value = min(100, given.get("anteil-moeglich-vorher", 10) + rng.randrange(20, 80, 5))
    elif key == "anteil-genutzt-2021":
        value = max(0, given.get("anteil-moeglich-2021", 50) - rng.randrange(0, 40, 5))
    elif key == "mobile-geraete-anzahl":
        value = round((org.population or 3_000) / rng.uniform(25, 90))
    elif key == "it-belastung":
        value = rng.choice((3, 4, 4, 5, 5))
    else:
        low, high = engine.value_range(question)
        bottom = math.ceil(low) if low is not None else 0
        top = math.floor(high) if high is not None else max(bottom, 100)
        value = rng.randint(bottom, top)
        if question.kind == QuestionKind.PERCENTAGE:
            value = round(value / 5) * 5
    low, high = engine.value_range(question)
    if low is not None:
        value = max(value, math.ceil(low))
    if high is not None:
        value = min(value, math.floor(high))
    given[key] = value
    return Decimal(value)


def _value(rng, question: Question, org: OrgInfo, choices: list[int], given: dict, index: int):
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        other = (
            f"Eigene Lösung {MARK}" if question.allow_other and rng.random() < OTHER_SHARE else ""
        )
        if kind == QuestionKind.SINGLE:
            picked = () if other else (rng.choice(choices),)
        else:
            picked = tuple(sorted(rng.sample(choices, rng.randint(1, min(3, len(choices))))))
        return engine.AnswerValue(choice_ids=picked, other=other)
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
        return engine.AnswerValue(number=_number(rng, question, org, given))
    if kind == QuestionKind.YES_NO:
        return engine.AnswerValue(boolean=rng.random() < 0.5)
    options = DEMO_TEXTS.get(question.key, (FALLBACK_TEXT,))
    return engine.AnswerValue(text=f"{options[index % len(options)]} {MARK}")


def answers_for(rng, questions, choices: dict[int, list[int]], org: OrgInfo, index: int) -> dict:
    """One organization's answers (question pk → value), each checked by the engine."""
    values, given, answered = {}, {}, {}
    for question in questions:
        value = _value(rng, question, org, choices[question.pk], given, index)
        if not question.required and rng.random() < SKIP_OPTIONAL:
            value = engine.EMPTY
        prerequisite = FOLLOW_UPS.get(question.key)
        if prerequisite and not answered.get(prerequisite):
            value = engine.EMPTY
        answered[question.key] = not value.is_empty and value.number != 0
        if not value.is_empty:
            engine.value_check(question, value, choice_ids=choices[question.pk])
            values[question.pk] = value
    if engine.missing_required(questions, values):
        raise ValueError("A synthetic response must answer every required question.")
    return values


def _submitted_at(rng: random.Random, questionnaire: Questionnaire, today: datetime.date):
    """A working hour between the opening of the questionnaire and yesterday."""
    last = today - datetime.timedelta(days=1)
    first = min(questionnaire.opens_on or last, last)
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 17)))
    return timezone.make_aware(moment, datetime.UTC)


def _write(questionnaire, rows: list[tuple[Response, dict]]) -> int:
    Response.objects.bulk_create([response for response, _values in rows])
    answers = [
        (
            Answer(
                response_id=response.pk,
                question_id=pk,
                other_text=value.other,
                number_value=value.number,
                bool_value=value.boolean,
                text_value=value.text,
            ),
            value.choice_ids,
        )
        for response, values in rows
        for pk, value in values.items()
    ]
    Answer.objects.bulk_create([answer for answer, _ids in answers], batch_size=BATCH_SIZE)
    link = Answer.choices.through
    link.objects.bulk_create(
        (link(answer_id=answer.pk, choice_id=c) for answer, ids in answers for c in ids),
        batch_size=BATCH_SIZE,
    )
    ResponseChange.objects.bulk_create(
        ResponseChange(response_id=response.pk, action=ResponseAction.SUBMITTED)
        for response, _values in rows
    )
    return len(answers)


def responses_generate(world: World, progress: Progress, *, count: int | None) -> int:
    rng = world.rng("responses")
    questionnaire = questionnaire_ready(world.today)
    questions = list(
        questionnaire.questions.filter(is_retired=False)
        .prefetch_related("choices")
        .order_by("section__position", "section_id", "position", "id")
    )
    choices = {q.pk: [c.pk for c in q.choices.all()] for q in questions}
    organizations = respondents(world, questionnaire, count)
    progress.start(Response._meta.verbose_name_plural, len(organizations))
    for start in range(0, len(organizations), CHUNK):
        rows = []
        for index, org in enumerate(organizations[start : start + CHUNK], start=start):
            users = world.users.get(org.pk, [])
            submitter = users[0].pk if users else None
            response = Response(
                questionnaire_id=questionnaire.pk,
                organization_id=org.pk,
                status=ResponseStatus.SUBMITTED,
                submitted_at=_submitted_at(rng, questionnaire, world.today),
                submitted_by_id=submitter,
                updated_by_id=submitter,
                consent_named_text=rng.random() < 0.4,
                consent_contact=rng.random() < 0.6,
                is_demo=True,
            )
            rows.append((response, answers_for(rng, questions, choices, org, index)))
        world.counts["answers"] += _write(questionnaire, rows)
        progress.advance(len(rows))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        results_version=F("results_version") + 1
    )
    world.counts["responses"] += len(organizations)
    progress.finish()
    return len(organizations)
