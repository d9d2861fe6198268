"""Saving, submitting and reopening responses: permissions, validation, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiativek.core.models import AuditEntry
from initiativek.surveys import engine, services
from initiativek.surveys.constants import ResponseAction, ResponseStatus
from initiativek.surveys.engine import AnswerValue
from initiativek.surveys.models import Answer, Response
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.conftest import q
from tests.surveys.factories import QuestionFactory, QuestionnaireFactory


def save(questionnaire, organization, user, values, **kwargs):
    return services.response_save(
        questionnaire=questionnaire, organization=organization, user=user, values=values, **kwargs
    )


def test_an_editor_saves_a_draft_without_the_required_answers(questionnaire, town, editor):
    text = q(questionnaire, "text")
    response = save(questionnaire, town, editor, {text.pk: AnswerValue(text="VPN für alle")})
    assert response.status == ResponseStatus.DRAFT
    assert Answer.objects.get(response=response, question=text).text_value == "VPN für alle"
    change = response.changes.get()
    assert change.user == editor
    assert change.action == ResponseAction.SAVED
    assert change.changes == [
        {"question": "text", "text": "Frage text", "old": "", "new": "VPN für alle"}
    ]


def test_submitting_needs_every_required_answer(questionnaire, town, editor):
    with pytest.raises(ValidationError) as error:
        save(questionnaire, town, editor, {}, submit=True)
    percentage = q(questionnaire, "percentage")
    assert f"q{percentage.pk}" in error.value.message_dict
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()

    response = save(
        questionnaire, town, editor, {percentage.pk: AnswerValue(number=Decimal(40))}, submit=True
    )
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_by == editor
    assert response.changes.first().action == ResponseAction.SUBMITTED


def test_a_submitted_response_cannot_lose_a_required_answer(questionnaire, town, editor):
    percentage = q(questionnaire, "percentage")
    save(questionnaire, town, editor, {percentage.pk: AnswerValue(number=Decimal(40))}, submit=True)
    with pytest.raises(ValidationError):
        save(questionnaire, town, editor, {percentage.pk: AnswerValue()})
    assert Answer.objects.get(question=percentage).number_value == Decimal(40)


def test_clearing_an_answer_deletes_it_and_records_the_change(questionnaire, town, editor):
    yes_no = q(questionnaire, "yes-no")
    save(questionnaire, town, editor, {yes_no.pk: AnswerValue(boolean=True)})
    response = save(questionnaire, town, editor, {yes_no.pk: AnswerValue()})
    assert not response.answers.exists()
    assert response.changes.first().changes[0] == {
        "question": "yes-no",
        "text": "Frage yes_no",
        "old": "Ja",
        "new": "",
    }


def test_saving_unchanged_values_records_no_change(questionnaire, town, editor):
    text = q(questionnaire, "text")
    save(questionnaire, town, editor, {text.pk: AnswerValue(text="gleich")})
    save(questionnaire, town, editor, {text.pk: AnswerValue(text="gleich")})
    assert Response.objects.get().changes.count() == 1


def test_values_out_of_range_store_nothing(questionnaire, town, editor):
    number, text = q(questionnaire, "number"), q(questionnaire, "text")
    with pytest.raises(ValidationError) as error:
        save(
            questionnaire,
            town,
            editor,
            {text.pk: AnswerValue(text="gültig"), number.pk: AnswerValue(number=Decimal(501))},
        )
    assert f"q{number.pk}" in error.value.message_dict
    assert not Answer.objects.exists()


def test_a_choice_of_another_question_is_refused(questionnaire, town, editor):
    single, multiple = q(questionnaire, "single"), q(questionnaire, "multiple")
    foreign = multiple.choices.first()
    with pytest.raises(ValidationError):
        save(questionnaire, town, editor, {single.pk: AnswerValue(choice_ids=(foreign.pk,))})
    assert not Answer.objects.exists()


def test_a_question_of_another_questionnaire_is_refused(questionnaire, town, editor):
    stranger = QuestionFactory(kind="text")
    with pytest.raises(ValidationError) as error:
        save(questionnaire, town, editor, {stranger.pk: AnswerValue(text="x")})
    assert error.value.code == "unknown_question"
    assert not Answer.objects.exists()


def test_a_retired_question_is_no_longer_answered(questionnaire, town, editor):
    text = q(questionnaire, "text")
    text.is_retired = True
    text.save()
    with pytest.raises(ValidationError):
        save(questionnaire, town, editor, {text.pk: AnswerValue(text="x")})


@pytest.mark.parametrize("trait", ["closed", "scheduled", "draft"])
def test_responses_are_only_saved_while_the_questionnaire_is_open(trait, town, editor):
    questionnaire = QuestionnaireFactory(**{trait: True})
    question = QuestionFactory(questionnaire=questionnaire, kind="text")
    with pytest.raises(ValidationError) as error:
        save(questionnaire, town, editor, {question.pk: AnswerValue(text="x")})
    assert error.value.code == "closed"
    assert not Response.objects.exists()


def test_members_and_other_organizations_editors_may_not_answer(questionnaire, town):
    text = q(questionnaire, "text")
    member = MembershipFactory(organization=town).user
    stranger = MembershipFactory(organization=OrganizationFactory(), editor=True).user
    for person in (member, stranger):
        with pytest.raises(PermissionDenied):
            save(questionnaire, town, person, {text.pk: AnswerValue(text="x")})
    assert not Response.objects.exists()


def test_organizations_outside_the_audience_may_not_answer(questionnaire, editor, town):
    questionnaire.audience_kinds = ["landkreis"]
    questionnaire.save()
    with pytest.raises(PermissionDenied):
        save(questionnaire, town, editor, {})


def test_an_answer_changed_by_someone_else_meanwhile_is_not_overwritten(
    questionnaire, town, editor
):
    text, number = q(questionnaire, "text"), q(questionnaire, "number")
    colleague = MembershipFactory(organization=town, admin=True).user
    colleague.name = "Alex Admin"
    colleague.save()
    seen = {text.pk: engine.value_hash(AnswerValue()), number.pk: engine.value_hash(AnswerValue())}
    save(questionnaire, town, colleague, {text.pk: AnswerValue(text="vom Kollegen")})
    with pytest.raises(ValidationError) as error:
        save(questionnaire, town, editor, {text.pk: AnswerValue(text="alt")}, base=seen)
    message = error.value.message_dict[f"q{text.pk}"][0]
    assert "von Alex Admin geändert in: „vom Kollegen“" in message
    assert Answer.objects.get().text_value == "vom Kollegen"
    # Answers the colleague didn't touch are saved from the same outdated page.
    save(questionnaire, town, editor, {number.pk: AnswerValue(number=Decimal(3))}, base=seen)
    assert Answer.objects.get(question=number).number_value == 3
    # Once the person has seen the current value, their save goes through.
    seen[text.pk] = engine.value_hash(AnswerValue(text="vom Kollegen"))
    save(questionnaire, town, editor, {text.pk: AnswerValue(text="neu")}, base=seen)
    assert Answer.objects.get(question=text).text_value == "neu"


def test_nothing_to_store_creates_no_response(questionnaire, town, editor):
    text = q(questionnaire, "text")
    assert save(questionnaire, town, editor, {text.pk: AnswerValue()}) is None
    assert not Response.objects.exists()


def test_consents_are_stored_and_their_change_recorded(questionnaire, town, editor):
    response = save(questionnaire, town, editor, {}, consent_contact=True)
    assert response.consent_contact is True
    assert response.changes.get().changes[0]["new"] == "Ja"


def test_reopening_takes_a_submitted_response_back_to_draft(questionnaire, town, editor):
    percentage = q(questionnaire, "percentage")
    response = save(
        questionnaire, town, editor, {percentage.pk: AnswerValue(number=Decimal(5))}, submit=True
    )
    response = services.response_reopen(response=response, user=editor)
    assert response.status == ResponseStatus.DRAFT
    assert response.changes.first().action == ResponseAction.REOPENED
    assert AuditEntry.objects.filter(action="surveys.response.reopened").exists()


def test_every_save_bumps_the_results_version(questionnaire, town, editor):
    before = questionnaire.results_version
    save(questionnaire, town, editor, {q(questionnaire, "text").pk: AnswerValue(text="x")})
    questionnaire.refresh_from_db()
    assert questionnaire.results_version == before + 1
