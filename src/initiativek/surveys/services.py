"""Writes of responses: saving drafts, submitting, reopening – with the history of changes.

The questionnaire's questions are changed in ``services_builder``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log

from . import engine, permissions
from .constants import Phase, ResponseAction, ResponseStatus
from .models import Answer, Question, Questionnaire, Response, ResponseChange


def question_field_name(question: Question) -> str:
    """The form field (and error key) of a question."""
    return f"q{question.pk}"


def _questions_by_pk(questionnaire: Questionnaire) -> dict[int, Question]:
    questions = questionnaire.questions.prefetch_related("choices")
    return {question.pk: question for question in questions}


def _check_values(questions: dict[int, Question], values: dict[int, engine.AnswerValue]) -> None:
    """Every value belongs to a still asked question of this questionnaire and is valid."""
    errors: dict[str, list] = {}
    for pk, value in values.items():
        question = questions.get(pk)
        if question is None or question.is_retired:
            raise ValidationError(
                _(
                    "Die Antworten enthielten eine Frage, die es in diesem Fragebogen nicht "
                    "(mehr) gibt. Es wurde nichts gespeichert; bitte laden Sie die Seite neu."
                ),
                code="unknown_question",
            )
        try:
            engine.value_check(
                question, value, choice_ids=[choice.pk for choice in question.choices.all()]
            )
        except ValidationError as exc:
            errors[question_field_name(question)] = exc.messages
    if errors:
        raise ValidationError(errors)


def _check_complete(questions: dict[int, Question], values: dict[int, engine.AnswerValue]):
    missing = engine.missing_required(questions.values(), values)
    if missing:
        raise ValidationError(
            {
                question_field_name(question): _("Bitte beantworten Sie diese Pflichtfrage.")
                for question in missing
            },
            code="required",
        )


def _response_locked(*, questionnaire: Questionnaire, organization: Any) -> Response | None:
    """The organization's response locked for this transaction, or None if there is none."""
    return (
        Response.objects.select_for_update()
        .filter(questionnaire=questionnaire, organization=organization)
        .first()
    )


def _response_create(*, questionnaire: Questionnaire, organization: Any) -> Response:
    """Create the response (only once there is something to store), locked."""
    try:
        with transaction.atomic():
            Response.objects.create(questionnaire=questionnaire, organization=organization)
    except IntegrityError:  # created by a parallel request a moment ago
        pass
    return Response.objects.select_for_update().get(
        questionnaire=questionnaire, organization=organization
    )


def _check_base(
    response: Response | None,
    questions: dict[int, Question],
    old: dict[int, engine.AnswerValue],
    values: dict[int, engine.AnswerValue],
    base: dict[int, str] | None,
) -> None:
    """Refuse answers that someone else changed since the person loaded the form (``base``:
    question pk → ``engine.value_hash`` of what the form showed) – unless both typed the same."""
    if base is None:
        return
    conflicts = {}
    for pk, value in values.items():
        current = old.get(pk, engine.EMPTY)
        if pk not in base or engine.value_hash(current) == base[pk] or current == value:
            continue
        question = questions[pk]
        shown = engine.value_display(question, current, labels=_labels(question)) or _("leer")
        who = ""
        if response is not None and response.updated_by is not None:
            who = response.updated_by.name or response.updated_by.email
        conflicts[question_field_name(question)] = ValidationError(
            _(
                "Diese Antwort wurde inzwischen von %(who)s geändert in: „%(current)s“. Ihre "
                "Eingabe ist nicht gespeichert und steht noch im Formular – speichern Sie "
                "erneut, um sie zu übernehmen."
            )
            % {"who": who or _("einer anderen Person"), "current": shown},
            code="conflict",
        )
    if conflicts:
        raise ValidationError(conflicts)


def _labels(question: Question) -> dict[int, str]:
    return {choice.pk: choice.label for choice in question.choices.all()}


def _store(
    response: Response,
    questions: dict[int, Question],
    old: dict[int, engine.AnswerValue],
    values: dict[int, engine.AnswerValue],
) -> list[dict]:
    """Write the changed answers and return what changed (for the history)."""
    changes = []
    for pk, value in values.items():
        previous = old.get(pk, engine.EMPTY)
        if previous == value:
            continue
        question = questions[pk]
        labels = _labels(question)
        changes.append(
            {
                "question": question.key,
                "text": question.text,
                "old": engine.value_display(question, previous, labels=labels),
                "new": engine.value_display(question, value, labels=labels),
            }
        )
        if value.is_empty:
            Answer.objects.filter(response=response, question=question).delete()
            continue
        answer, _created = Answer.objects.update_or_create(
            response=response,
            question=question,
            defaults={
                "other_text": value.other,
                "number_value": value.number,
                "bool_value": value.boolean,
                "text_value": value.text,
            },
        )
        answer.choices.set(value.choice_ids)
    return changes


def response_save(
    *,
    questionnaire: Questionnaire,
    organization: Any,
    user: Any,
    values: dict[int, engine.AnswerValue],
    consent_named_text: bool | None = None,
    consent_contact: bool | None = None,
    submit: bool = False,
    base: dict[int, str] | None = None,
) -> Response | None:
    """Store ``values`` (question pk → answer; an empty value clears the answer) in the
    organization's response; with ``submit`` the response must be complete and is submitted.

    The response is created with the first answer (None is returned while there is none).
    A submitted response stays complete: changes that would leave a required question empty
    are refused as a whole. With ``base`` (what the person's form showed, see
    ``engine.value_hash``) answers changed by someone else in the meantime are not overwritten
    (ValidationError with code ``conflict`` on those questions).

    Raises PermissionDenied if the person may not answer for the organization and
    ValidationError (keyed by form field) for closed questionnaires, unknown questions,
    invalid, conflicting or missing answers – nothing is stored then.
    """
    if not permissions.can_answer(user, questionnaire, organization):
        raise PermissionDenied(_("Sie dürfen für diese Organisation nicht antworten."))
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if questionnaire.phase() != Phase.OPEN:
            raise ValidationError(
                _("Dieser Fragebogen ist nicht (mehr) offen; Antworten werden nicht gespeichert."),
                code="closed",
            )
        questions = _questions_by_pk(questionnaire)
        _check_values(questions, values)
        response = _response_locked(questionnaire=questionnaire, organization=organization)
        old = _stored_values(response)
        _check_base(response, questions, old, values, base)
        was_submitted = response is not None and response.status == ResponseStatus.SUBMITTED
        if submit or was_submitted:
            _check_complete(questions, {**old, **values})
        pending = {pk: value for pk, value in values.items() if old.get(pk, engine.EMPTY) != value}
        consents = {"consent_named_text": consent_named_text, "consent_contact": consent_contact}
        if response is None:
            if not (pending or submit or any(consents.values())):
                return None
            response = _response_create(questionnaire=questionnaire, organization=organization)
        changes = _store(response, questions, old, pending)
        changes += _consent_changes(response, consent_named_text, consent_contact)
        action = ResponseAction.SUBMITTED if submit and not was_submitted else ResponseAction.SAVED
        if changes or action == ResponseAction.SUBMITTED:
            _record(response, user, action, changes)
    return response


def _stored_values(response: Response | None) -> dict[int, engine.AnswerValue]:
    if response is None:
        return {}
    return {
        answer.question_id: engine.value_from_answer(answer)
        for answer in response.answers.prefetch_related("choices")
    }


def _record(response: Response, user: Any, action: str, changes: list[dict]) -> None:
    """Save the response's status and who changed it, the history entry, the audit entry and
    invalidate the cached results."""
    if action == ResponseAction.SUBMITTED:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = user
    response.updated_by = user
    response.full_clean()
    response.save()
    ResponseChange.objects.create(response=response, user=user, action=action, changes=changes)
    Questionnaire.objects.filter(pk=response.questionnaire_id).update(
        results_version=F("results_version") + 1
    )
    audit_log(
        actor=user,
        action=f"surveys.response.{action}",
        obj=response,
        data={"questions": [change["question"] for change in changes]},
    )


def _consent_changes(
    response: Response, named_text: bool | None, contact: bool | None
) -> list[dict]:
    changes = []
    for field_name, new in (("consent_named_text", named_text), ("consent_contact", contact)):
        if new is None or getattr(response, field_name) == new:
            continue
        changes.append(
            {
                "question": field_name,
                "text": str(Response._meta.get_field(field_name).verbose_name),
                "old": _("Ja") if getattr(response, field_name) else _("Nein"),
                "new": _("Ja") if new else _("Nein"),
            }
        )
        setattr(response, field_name, new)
    return changes


def response_reopen(*, response: Response, user: Any) -> Response:
    """Take a submitted response back into draft (while the questionnaire is open), e.g. to
    save incomplete changes; it no longer counts in the results until submitted again."""
    if not permissions.can_answer(user, response.questionnaire, response.organization):
        raise PermissionDenied(_("Sie dürfen für diese Organisation nicht antworten."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.questionnaire.phase() != Phase.OPEN:
            raise ValidationError(_("Dieser Fragebogen ist nicht (mehr) offen."), code="closed")
        if response.status != ResponseStatus.SUBMITTED:
            return response
        response.status = ResponseStatus.DRAFT
        response.updated_by = user
        response.save(update_fields=["status", "updated_by", "updated_at"])
        ResponseChange.objects.create(response=response, user=user, action=ResponseAction.REOPENED)
        Questionnaire.objects.filter(pk=response.questionnaire_id).update(
            results_version=F("results_version") + 1
        )
        audit_log(actor=user, action="surveys.response.reopened", obj=response)
    return response
