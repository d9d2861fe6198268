"""Builder services for questions and their choices. See the package docstring for the rule
that holds once a questionnaire has answers."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log

from .. import selectors
from ..constants import CHOICE_KINDS, NUMBER_LIMIT, QuestionKind
from ..models import Answer, Choice, Question, Questionnaire
from .common import (
    ChoiceSpec,
    apply,
    because,
    bump,
    check_direction,
    locked,
    question_delete_refusal,
    question_key_pick,
    renumber,
    require_team,
    respondent_count,
)

QUESTION_FIELDS = frozenset(
    {
        "section",
        "key",
        "text",
        "help_text",
        "kind",
        "required",
        "unit",
        "min_value",
        "max_value",
        "scale_min_label",
        "scale_max_label",
        "allow_other",
    }
)
CHOICE_LABEL_MAX = 200


def _number(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


def _check_choice_specs(question: Question, specs: list[ChoiceSpec]) -> dict[str, str]:
    if question.kind not in CHOICE_KINDS:
        if any(spec.pk is None for spec in specs):
            return {
                "choices": _(
                    "Antwortmöglichkeiten gibt es nur bei Einfach- und Mehrfachauswahl. Entfernen "
                    "Sie sie oder wählen Sie einen dieser Fragetypen."
                )
            }
        return {}
    if len(specs) < 2:
        return {"choices": _("Eine Auswahlfrage braucht mindestens zwei Antwortmöglichkeiten.")}
    seen: set[str] = set()
    for spec in specs:
        label = spec.label.strip()
        if not label:
            return {"choices": _("Jede Antwortmöglichkeit braucht einen Text.")}
        if len(label) > CHOICE_LABEL_MAX:
            return {"choices": _("Eine Antwortmöglichkeit hat höchstens 200 Zeichen.")}
        if label.casefold() in seen:
            return {
                "choices": _("Die Antwortmöglichkeit „%(label)s“ kommt doppelt vor.")
                % {"label": label}
            }
        seen.add(label.casefold())
    return {}


def _check_kind_fields(question: Question) -> dict[str, str]:
    """Fields that belong to one kind only: unit and range (number), end labels (scale, where
    they are required), "Sonstiges" (choice questions)."""
    errors = {}
    kind = question.kind
    for name in ("unit", "min_value", "max_value"):
        value = getattr(question, name)
        if kind != QuestionKind.NUMBER and value not in (None, ""):
            errors[name] = _("Nur bei Fragen vom Typ „Zahl“ – bitte leeren Sie das Feld.")
        elif name != "unit" and value is not None and abs(value) > NUMBER_LIMIT:
            errors[name] = _("Bitte bleiben Sie zwischen −999.999.999,99 und 999.999.999,99.")
    low, high = question.min_value, question.max_value
    if "max_value" not in errors and low is not None and high is not None and low > high:
        errors["max_value"] = _("Der größte Wert darf nicht kleiner sein als der kleinste.")
    for name in ("scale_min_label", "scale_max_label"):
        filled = bool(getattr(question, name))
        if kind == QuestionKind.SCALE and not filled:
            errors[name] = _("Bitte beschreiben Sie, was dieser Wert der Skala bedeutet.")
        elif kind != QuestionKind.SCALE and filled:
            errors[name] = _("Nur bei Fragen vom Typ „Skala 1–5“ – bitte leeren Sie das Feld.")
    if kind not in CHOICE_KINDS and question.allow_other:
        errors["allow_other"] = _("„Sonstiges“ gibt es nur bei Einfach- und Mehrfachauswahl.")
    return errors


def _check_question(question: Question, specs: list[ChoiceSpec]) -> None:
    """The rules for a question on its own: kind-specific fields, choices, a free key."""
    if question.kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie einen der angebotenen Fragetypen.")})
    section = question.section if question.section_id else None
    if section is None or section.questionnaire_id != question.questionnaire_id:
        raise ValidationError(
            {"section": _("Bitte wählen Sie einen Abschnitt dieses Fragebogens.")}
        )
    errors = {**_check_kind_fields(question), **_check_choice_specs(question, specs)}
    key_taken = (
        Question.objects.filter(questionnaire_id=question.questionnaire_id, key=question.key)
        .exclude(pk=question.pk)
        .exists()
    )
    if key_taken:
        errors["key"] = _(
            "Diese Kennung gibt es in diesem Fragebogen schon; bitte wählen Sie eine andere."
        )
    if errors:
        raise ValidationError(errors)
    question.full_clean()


def _check_range_kept(question: Question) -> dict[str, str]:
    """A number range may shrink only as far as the stored answers allow."""
    if question.kind != QuestionKind.NUMBER:
        return {}
    stored = Answer.objects.filter(question=question, number_value__isnull=False).aggregate(
        low=Min("number_value"), high=Max("number_value")
    )
    low, high = stored["low"], stored["high"]
    errors = {}
    if question.min_value is not None and low is not None and low < question.min_value:
        errors["min_value"] = _(
            "Eine vorhandene Antwort ist %(value)s; der kleinste Wert darf nicht darüber liegen."
        ) % {"value": _number(low)}
    if question.max_value is not None and high is not None and high > question.max_value:
        errors["max_value"] = _(
            "Eine vorhandene Antwort ist %(value)s; der größte Wert darf nicht darunter liegen."
        ) % {"value": _number(high)}
    return errors


def _check_kept(question: Question, old: Question, removed: list[Choice], respondents: int) -> None:
    """The no-change-after-answers rule for an update (``respondents`` > 0: has answers)."""
    errors = _check_range_kept(question)
    if respondents and question.kind != old.kind:
        errors["kind"] = _(
            "Der Fragetyp kann nicht mehr geändert werden, %(because)s. Schließen Sie die Frage "
            "und legen Sie eine neue mit dem gewünschten Typ an."
        ) % {"because": because(respondents)}
    if respondents and question.key != old.key:
        errors["key"] = _(
            "Die Kennung kann nicht mehr geändert werden, %(because)s; Exporte bleiben so "
            "vergleichbar."
        ) % {"because": because(respondents)}
    if respondents and removed and "kind" not in errors:
        errors["choices"] = _(
            "„%(labels)s“ kann nicht entfernt werden, %(because)s. Sie können den Text "
            "korrigieren, weitere Antwortmöglichkeiten ergänzen oder die Frage schließen."
        ) % {"labels": "“, „".join(c.label for c in removed), "because": because(respondents)}
    switched_off = old.allow_other and not question.allow_other
    if switched_off and Answer.objects.filter(question=question).exclude(other_text="").exists():
        errors["allow_other"] = _(
            "„Sonstiges“ kann nicht abgeschaltet werden, weil Antworten es verwenden."
        )
    if errors:
        raise ValidationError(errors)


def _choices_plan(
    question: Question, specs: list[ChoiceSpec]
) -> tuple[dict[int, Choice], list[Choice]]:
    """(existing choices by pk, those to remove). A pk of another question's choice is
    refused. For kinds without choices every existing choice goes."""
    existing = {choice.pk: choice for choice in question.choices.all()} if question.pk else {}
    if any(spec.pk is not None and spec.pk not in existing for spec in specs):
        raise ValidationError(
            {
                "choices": _(
                    "Eine Antwortmöglichkeit gehört nicht zu dieser Frage. Bitte laden Sie die "
                    "Seite neu."
                )
            }
        )
    kept = {spec.pk for spec in specs} if question.kind in CHOICE_KINDS else set()
    return existing, [choice for pk, choice in existing.items() if pk not in kept]


def _choices_store(
    question: Question,
    specs: list[ChoiceSpec],
    existing: dict[int, Choice],
    removed: list[Choice],
) -> None:
    Choice.objects.filter(pk__in=[choice.pk for choice in removed]).delete()
    if question.kind not in CHOICE_KINDS:
        return
    for position, spec in enumerate(specs):
        choice = existing[spec.pk] if spec.pk else Choice(question=question)
        if choice.pk and (choice.label, choice.position) == (spec.label.strip(), position):
            continue
        choice.label, choice.position = spec.label.strip(), position
        choice.full_clean()
        choice.save()


def _end_of_section(question: Question) -> int:
    last = Question.objects.filter(section_id=question.section_id).aggregate(m=Max("position"))
    return 0 if last["m"] is None else last["m"] + 1


def _log(actor: Any, action: str, questionnaire: Questionnaire, question: Question) -> None:
    bump(questionnaire)
    audit_log(actor=actor, action=action, obj=questionnaire, data={"question": question.key})


@transaction.atomic
def question_create(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    data: dict[str, Any],
    choices: list[ChoiceSpec] | tuple = (),
) -> Question:
    """Add a question (fields of ``QUESTION_FIELDS``, ``data["section"]`` one of this
    questionnaire's sections) at the end of its section; an empty key is made from the text.
    Possible also once the questionnaire has answers."""
    require_team(actor)
    questionnaire = locked(questionnaire)
    question = Question(questionnaire=questionnaire)
    apply(question, data, QUESTION_FIELDS)
    if not question.key:
        question.key = question_key_pick(questionnaire=questionnaire, text=question.text)
    specs = list(choices)
    _check_question(question, specs)
    question.position = _end_of_section(question)
    question.save()
    _choices_store(question, specs, {}, [])
    _log(actor, "surveys.question.created", questionnaire, question)
    return question


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    data: dict[str, Any],
    choices: list[ChoiceSpec] | None = None,
) -> Question:
    """Change a question and, unless ``choices`` is None, its choices: the list is the new set
    in order – existing ones by pk (renamed if the label differs), new ones without pk;
    existing ones missing from the list are removed. A kind without choices removes them all.
    A new section puts the question at its end. The package's rule for questionnaires with
    answers applies; refusals are a ValidationError keyed by field (``choices`` for choices).
    """
    require_team(actor)
    questionnaire = locked(question.questionnaire_id)
    question = questionnaire.questions.select_related("section").get(pk=question.pk)
    old = Question.objects.get(pk=question.pk)
    if choices is None:
        choices = [ChoiceSpec(label=c.label, pk=c.pk) for c in question.choices.all()]
    apply(question, data, QUESTION_FIELDS)
    if not question.key:
        question.key = question_key_pick(
            questionnaire=questionnaire, text=question.text, exclude_pk=question.pk
        )
    _check_question(question, choices)
    existing, removed = _choices_plan(question, choices)
    has_answers = selectors.questionnaire_has_answers(questionnaire=questionnaire)
    respondents = respondent_count(questionnaire=questionnaire) if has_answers else 0
    _check_kept(question, old, removed, respondents)
    if question.section_id != old.section_id:
        question.position = _end_of_section(question)
    question.save()
    _choices_store(question, choices, existing, removed)
    _log(actor, "surveys.question.changed", questionnaire, question)
    return question


def choices_update(*, actor: Any, question: Question, choices: list[ChoiceSpec]) -> Question:
    """Replace the choices of ``question`` (the rules of ``question_update``)."""
    return question_update(actor=actor, question=question, data={}, choices=choices)


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    """Delete a question while nobody has answered the questionnaire; afterwards refused with
    ``question_delete_refusal`` (retiring is the way out)."""
    require_team(actor)
    questionnaire = locked(question.questionnaire_id)
    question = questionnaire.questions.get(pk=question.pk)
    if selectors.questionnaire_has_answers(questionnaire=questionnaire):
        respondents = respondent_count(questionnaire=questionnaire)
        raise ValidationError(question_delete_refusal(respondents=respondents), code="has_answers")
    section_id = question.section_id
    question.delete()
    renumber(list(Question.objects.filter(section_id=section_id).order_by("position", "id")))
    _log(actor, "surveys.question.deleted", questionnaire, question)


@transaction.atomic
def question_retire(*, actor: Any, question: Question, retired: bool = True) -> Question:
    """Close (``retired``) or reopen a question. A closed question is no longer asked; its
    answers stay and are shown in the results."""
    require_team(actor)
    questionnaire = locked(question.questionnaire_id)
    question = questionnaire.questions.get(pk=question.pk)
    if question.is_retired == retired:
        return question
    question.is_retired = retired
    question.save(update_fields=["is_retired"])
    action = "surveys.question.retired" if retired else "surveys.question.reopened"
    _log(actor, action, questionnaire, question)
    return question


@transaction.atomic
def question_move(*, actor: Any, question: Question, direction: str) -> Question:
    """Move a question one place "up" or "down"; at the edge of its section it moves to the
    end of the previous (or the start of the next) section. At the very ends nothing changes."""
    require_team(actor)
    up = check_direction(direction)
    questionnaire = locked(question.questionnaire_id)
    question = questionnaire.questions.get(pk=question.pk)
    siblings = list(
        Question.objects.filter(section_id=question.section_id).order_by("position", "id")
    )
    index = next(i for i, other in enumerate(siblings) if other.pk == question.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        renumber(siblings)
    else:
        sections = list(questionnaire.sections.order_by("position", "id"))
        here = next(i for i, section in enumerate(sections) if section.pk == question.section_id)
        there = here - 1 if up else here + 1
        if not 0 <= there < len(sections):
            return question
        renumber([other for other in siblings if other.pk != question.pk])
        others = list(sections[there].questions.order_by("position", "id"))
        question.section = sections[there]
        question.save(update_fields=["section"])
        renumber([*others, question] if up else [question, *others])
    _log(actor, "surveys.question.moved", questionnaire, question)
    return question
