from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from initiativek.core.models import AuditEntry, Notification
from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys import services_builder
from initiativek.surveys.constants import Phase, QuestionKind, QuestionnaireStatus
from initiativek.surveys.models import Question, Questionnaire
from initiativek.surveys.services_builder import ChoiceSpec
from tests.events.factories import EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _answered(question, **values):
    """Store an answer to ``question`` from a new organization."""
    response = ResponseFactory(questionnaire=question.questionnaire)
    return AnswerFactory(response=response, question=question, **values)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def _single_data(section, **overrides):
    return {"section": section, "text": "Welche Technik?", "kind": QuestionKind.SINGLE, **overrides}


def _version(questionnaire) -> int:
    return Questionnaire.objects.get(pk=questionnaire.pk).results_version


# Questionnaires: create, slug, dates, permissions


def test_create_makes_a_draft_with_a_slug_from_the_title(team_user):
    questionnaire = services_builder.questionnaire_create(
        actor=team_user, data={"title": "Verwaltung im Homeoffice – Größe"}
    )
    assert questionnaire.status == QuestionnaireStatus.DRAFT
    assert questionnaire.slug == "verwaltung-im-homeoffice-groesse"
    assert questionnaire.created_by == team_user
    assert AuditEntry.objects.filter(action="surveys.questionnaire.created").exists()


def test_slug_is_never_a_fixed_address_nor_taken(team_user):
    first = services_builder.questionnaire_create(actor=team_user, data={"title": "Neu"})
    second = services_builder.questionnaire_create(actor=team_user, data={"title": "Neu"})
    assert first.slug == "neu-2"
    assert second.slug == "neu-3"


def test_create_refuses_an_end_before_the_start(team_user):
    with pytest.raises(ValidationError) as exc_info:
        services_builder.questionnaire_create(
            actor=team_user,
            data={"title": "X", "opens_on": TODAY(), "closes_on": TODAY() - timedelta(days=1)},
        )
    assert "closes_on" in _errors(exc_info)


def test_create_refuses_partners_as_audience(team_user):
    with pytest.raises(ValidationError) as exc_info:
        services_builder.questionnaire_create(
            actor=team_user, data={"title": "X", "audience_kinds": [OrganizationKind.PARTNER]}
        )
    assert "audience_kinds" in _errors(exc_info)


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, q: services_builder.questionnaire_create(actor=actor, data={"title": "X"}),
        lambda actor, q: services_builder.questionnaire_update(
            actor=actor, questionnaire=q, data={"title": "Y"}
        ),
        lambda actor, q: services_builder.questionnaire_publish(actor=actor, questionnaire=q),
        lambda actor, q: services_builder.questionnaire_copy(actor=actor, questionnaire=q),
        lambda actor, q: services_builder.questionnaire_delete(actor=actor, questionnaire=q),
        lambda actor, q: services_builder.section_create(
            actor=actor, questionnaire=q, data={"title": "S"}
        ),
        lambda actor, q: services_builder.question_delete(actor=actor, question=q.questions.get()),
        lambda actor, q: services_builder.question_retire(actor=actor, question=q.questions.get()),
        lambda actor, q: services_builder.question_move(
            actor=actor, question=q.questions.get(), direction="up"
        ),
    ],
)
def test_only_the_team_builds_questionnaires(user, call):
    MembershipFactory(user=user, admin=True)
    question = QuestionFactory(questionnaire=QuestionnaireFactory(draft=True))
    with pytest.raises(PermissionDenied):
        call(user, question.questionnaire)
    assert Question.objects.filter(pk=question.pk, is_retired=False).exists()


# Publishing and closing


def test_publish_needs_dates_and_a_question(team_user):
    questionnaire = QuestionnaireFactory(draft=True, opens_on=None, closes_on=None)
    with pytest.raises(ValidationError) as exc_info:
        services_builder.questionnaire_publish(actor=team_user, questionnaire=questionnaire)
    assert len(exc_info.value.messages) == 2
    assert Questionnaire.objects.get(pk=questionnaire.pk).status == QuestionnaireStatus.DRAFT


def test_publish_refuses_an_end_in_the_past(team_user):
    questionnaire = QuestionnaireFactory(draft=True, closed=True)
    QuestionFactory(questionnaire=questionnaire)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services_builder.questionnaire_publish(actor=team_user, questionnaire=questionnaire)


def test_templates_are_copied_not_published(team_user):
    template = QuestionnaireFactory(template=True, opens_on=TODAY(), closes_on=TODAY())
    QuestionFactory(questionnaire=template)
    with pytest.raises(ValidationError, match="Vorlagen"):
        services_builder.questionnaire_publish(actor=team_user, questionnaire=template)


def test_publish_notifies_admins_and_editors_of_the_audience(team_user):
    questionnaire = QuestionnaireFactory(draft=True, audience_kinds=[OrganizationKind.STADT])
    QuestionFactory(questionnaire=questionnaire)
    town = OrganizationFactory(kind=OrganizationKind.STADT)
    editor = MembershipFactory(organization=town, editor=True).user
    admin = MembershipFactory(organization=town, admin=True).user
    plain_member = MembershipFactory(organization=town).user
    county = MembershipFactory(
        organization=OrganizationFactory(kind=OrganizationKind.LANDKREIS), admin=True
    ).user
    outsider = MembershipFactory(
        organization=OrganizationFactory(kind=OrganizationKind.STADT, not_member=True), admin=True
    ).user

    services_builder.questionnaire_publish(actor=team_user, questionnaire=questionnaire)

    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED
    notified = set(Notification.objects.values_list("user", flat=True))
    assert notified == {editor.pk, admin.pk}
    assert {plain_member.pk, county.pk, outsider.pk}.isdisjoint(notified)
    assert Notification.objects.first().url == questionnaire.get_absolute_url()


def test_close_early_and_reopen_with_a_new_end(team_user):
    questionnaire = QuestionnaireFactory()
    services_builder.questionnaire_close(actor=team_user, questionnaire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.phase() == Phase.CLOSED

    services_builder.questionnaire_update(
        actor=team_user, questionnaire=questionnaire, data={"title": "Nur der Titel"}
    )
    assert Questionnaire.objects.get(pk=questionnaire.pk).phase() == Phase.CLOSED

    services_builder.questionnaire_update(
        actor=team_user,
        questionnaire=questionnaire,
        data={"closes_on": TODAY() + timedelta(days=3)},
    )
    assert Questionnaire.objects.get(pk=questionnaire.pk).phase() == Phase.OPEN


def test_close_refuses_drafts_and_closed_ones(team_user):
    for questionnaire in (QuestionnaireFactory(draft=True), QuestionnaireFactory(closed=True)):
        with pytest.raises(ValidationError):
            services_builder.questionnaire_close(actor=team_user, questionnaire=questionnaire)


def test_a_published_questionnaire_keeps_its_dates(team_user):
    questionnaire = QuestionnaireFactory()
    with pytest.raises(ValidationError) as exc_info:
        services_builder.questionnaire_update(
            actor=team_user, questionnaire=questionnaire, data={"closes_on": None}
        )
    assert "closes_on" in _errors(exc_info)


# Copy and delete


def test_copy_deep_copies_into_a_new_draft_linked_to_an_event(team_user):
    template = QuestionnaireFactory(template=True, title="Feedback zur Veranstaltung")
    first = SectionFactory(questionnaire=template, title="Eindruck")
    asked = QuestionFactory(questionnaire=template, section=first, choices=["gut", "schlecht"])
    QuestionFactory(questionnaire=template, section=first, is_retired=True)
    SectionFactory(questionnaire=template, title="Ausblick")
    event = EventFactory()

    copy = services_builder.questionnaire_copy(actor=team_user, questionnaire=template, event=event)

    assert copy.title == "Kopie von Feedback zur Veranstaltung"
    assert (copy.status, copy.is_template, copy.event) == (QuestionnaireStatus.DRAFT, False, event)
    assert list(copy.sections.values_list("title", flat=True)) == ["Eindruck", "Ausblick"]
    copied = copy.questions.get()
    assert (copied.key, copied.text, copied.kind) == (asked.key, asked.text, asked.kind)
    assert copied.section.questionnaire == copy
    assert list(copied.choices.values_list("label", flat=True)) == ["gut", "schlecht"]
    assert template.questions.count() == 2  # the source is untouched


def test_copy_takes_a_given_title(team_user):
    source = QuestionnaireFactory()
    copy = services_builder.questionnaire_copy(
        actor=team_user, questionnaire=source, title="Homeoffice 2022"
    )
    assert copy.title == "Homeoffice 2022"
    assert copy.opens_on is None


def test_delete_a_draft_but_not_a_published_questionnaire(team_user):
    draft = QuestionnaireFactory(draft=True)
    QuestionFactory(questionnaire=draft)
    services_builder.questionnaire_delete(actor=team_user, questionnaire=draft)
    assert not Questionnaire.objects.filter(pk=draft.pk).exists()

    published = QuestionnaireFactory()
    with pytest.raises(ValidationError, match="Schließen Sie ihn"):
        services_builder.questionnaire_delete(actor=team_user, questionnaire=published)
    assert Questionnaire.objects.filter(pk=published.pk).exists()


def test_delete_refuses_a_questionnaire_with_responses(team_user):
    draft = QuestionnaireFactory(draft=True)
    ResponseFactory(questionnaire=draft)
    with pytest.raises(ValidationError):
        services_builder.questionnaire_delete(actor=team_user, questionnaire=draft)


# Validation of questions


def test_question_key_comes_from_the_text_and_stays_unique(team_user):
    section = SectionFactory()
    data = {"section": section, "text": "Anteil mobil vorher?", "kind": QuestionKind.TEXT}
    first = services_builder.question_create(
        actor=team_user, questionnaire=section.questionnaire, data=data
    )
    second = services_builder.question_create(
        actor=team_user, questionnaire=section.questionnaire, data=data
    )
    assert (first.key, second.key) == ("anteil-mobil-vorher", "anteil-mobil-vorher-2")


def test_question_refuses_a_key_already_used(team_user):
    existing = QuestionFactory(kind=QuestionKind.TEXT, key="vpn")
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_create(
            actor=team_user,
            questionnaire=existing.questionnaire,
            data={"section": existing.section, "text": "X", "kind": "text", "key": "vpn"},
        )
    assert "key" in _errors(exc_info)


def test_new_question_goes_to_the_end_of_its_section_and_bumps_the_version(team_user):
    existing = QuestionFactory(kind=QuestionKind.TEXT, position=4)
    before = _version(existing.questionnaire)
    question = services_builder.question_create(
        actor=team_user,
        questionnaire=existing.questionnaire,
        data=_single_data(existing.section),
        choices=[ChoiceSpec("VPN"), ChoiceSpec("VDI")],
    )
    assert question.position == 5
    assert list(question.choices.values_list("label", "position")) == [("VPN", 0), ("VDI", 1)]
    assert _version(existing.questionnaire) == before + 1
    assert AuditEntry.objects.filter(action="surveys.question.created").exists()


@pytest.mark.parametrize(
    ("data", "choices", "field"),
    [
        ({"kind": QuestionKind.SINGLE}, [ChoiceSpec("nur eine")], "choices"),
        ({"kind": QuestionKind.MULTIPLE}, [ChoiceSpec("A"), ChoiceSpec("a")], "choices"),
        ({"kind": QuestionKind.TEXT}, [ChoiceSpec("A"), ChoiceSpec("B")], "choices"),
        ({"kind": "erfunden"}, [], "kind"),
        ({"kind": QuestionKind.NUMBER, "min_value": 10, "max_value": 5}, [], "max_value"),
        ({"kind": QuestionKind.NUMBER, "max_value": Decimal("1000000000")}, [], "max_value"),
        ({"kind": QuestionKind.PERCENTAGE, "unit": "Geräte"}, [], "unit"),
        ({"kind": QuestionKind.YES_NO, "min_value": 0}, [], "min_value"),
        ({"kind": QuestionKind.SCALE, "scale_min_label": "gar nicht"}, [], "scale_max_label"),
        ({"kind": QuestionKind.TEXT, "scale_min_label": "gar nicht"}, [], "scale_min_label"),
        ({"kind": QuestionKind.TEXT, "allow_other": True}, [], "allow_other"),
    ],
)
def test_question_rules_refuse_what_does_not_fit_the_kind(team_user, data, choices, field):
    section = SectionFactory()
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_create(
            actor=team_user,
            questionnaire=section.questionnaire,
            data={"section": section, "text": "Frage?", **data},
            choices=choices,
        )
    assert field in _errors(exc_info)
    assert not section.questionnaire.questions.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": QuestionKind.NUMBER, "unit": "Geräte", "min_value": 0, "max_value": 500},
        {"kind": QuestionKind.SCALE, "scale_min_label": "gar nicht", "scale_max_label": "sehr"},
        {"kind": QuestionKind.PERCENTAGE},
        {"kind": QuestionKind.YES_NO, "required": True},
        {"kind": QuestionKind.TEXT, "help_text": "Bitte kurz."},
    ],
)
def test_question_rules_accept_each_kind_with_its_fields(team_user, data):
    section = SectionFactory()
    question = services_builder.question_create(
        actor=team_user,
        questionnaire=section.questionnaire,
        data={"section": section, "text": "Frage?", **data},
    )
    assert question.kind == data["kind"]


def test_question_refuses_a_section_of_another_questionnaire(team_user):
    questionnaire = QuestionnaireFactory(draft=True)
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_create(
            actor=team_user,
            questionnaire=questionnaire,
            data={"section": SectionFactory(), "text": "X", "kind": QuestionKind.TEXT},
        )
    assert "section" in _errors(exc_info)


# The no-change-after-answers rule, success and refusal side by side


def test_delete_question_before_answers(team_user):
    question = QuestionFactory()
    services_builder.question_delete(actor=team_user, question=question)
    assert not Question.objects.filter(pk=question.pk).exists()


def test_delete_question_after_answers_is_refused_with_the_way_out(team_user):
    question = QuestionFactory()
    other = QuestionFactory(questionnaire=question.questionnaire, kind=QuestionKind.TEXT)
    _answered(other, text_value="ja")
    _answered(other, text_value="nein")
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_delete(actor=team_user, question=question)
    message = exc_info.value.messages[0]
    assert "bereits 2 Organisationen geantwortet haben" in message
    assert "schließen" in message
    assert Question.objects.filter(pk=question.pk).exists()


def test_kind_changes_before_answers_and_drops_the_choices(team_user):
    question = QuestionFactory(kind=QuestionKind.SINGLE)
    services_builder.question_update(
        actor=team_user, question=question, data={"kind": QuestionKind.TEXT}
    )
    question.refresh_from_db()
    assert question.kind == QuestionKind.TEXT
    assert not question.choices.exists()


def test_kind_change_after_answers_is_refused(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="VPN")
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_update(
            actor=team_user, question=question, data={"kind": QuestionKind.YES_NO}
        )
    assert "bereits 1 Organisation geantwortet hat" in _errors(exc_info)["kind"][0]
    assert Question.objects.get(pk=question.pk).kind == QuestionKind.TEXT


def test_key_change_after_answers_is_refused(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT, key="alt")
    services_builder.question_update(actor=team_user, question=question, data={"key": "neu"})
    _answered(question, text_value="x")
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_update(actor=team_user, question=question, data={"key": "x"})
    assert "key" in _errors(exc_info)


def _specs(question, *, drop=(), rename=None, add=()):
    rename = rename or {}
    specs = [
        ChoiceSpec(rename.get(choice.label, choice.label), choice.pk)
        for choice in question.choices.all()
        if choice.label not in drop
    ]
    return specs + [ChoiceSpec(label) for label in add]


def test_choices_are_removed_before_answers(team_user):
    question = QuestionFactory(choices=["A", "B", "C"])
    services_builder.choices_update(
        actor=team_user, question=question, choices=_specs(question, drop=["B"])
    )
    assert list(question.choices.values_list("label", flat=True)) == ["A", "C"]


def test_removing_a_choice_after_answers_is_refused(team_user):
    question = QuestionFactory(choices=["A", "B", "C"])
    _answered(question, choices=[question.choices.first()])
    with pytest.raises(ValidationError) as exc_info:
        services_builder.choices_update(
            actor=team_user, question=question, choices=_specs(question, drop=["C"])
        )
    assert "„C“ kann nicht entfernt werden" in _errors(exc_info)["choices"][0]
    assert question.choices.count() == 3


def test_choices_are_renamed_and_added_after_answers(team_user):
    question = QuestionFactory(choices=["A", "B"])
    picked = question.choices.first()
    _answered(question, choices=[picked])
    services_builder.choices_update(
        actor=team_user, question=question, choices=_specs(question, rename={"A": "Ä"}, add=["D"])
    )
    assert list(question.choices.values_list("label", flat=True)) == ["Ä", "B", "D"]
    assert question.choices.get(label="Ä").pk == picked.pk


def test_a_choice_of_another_question_is_refused(team_user):
    question = QuestionFactory(choices=["A", "B"])
    foreign = QuestionFactory().choices.first()
    with pytest.raises(ValidationError) as exc_info:
        services_builder.choices_update(
            actor=team_user,
            question=question,
            choices=[*_specs(question), ChoiceSpec("gekapert", foreign.pk)],
        )
    assert "choices" in _errors(exc_info)


def test_other_is_switched_off_unless_an_answer_uses_it(team_user):
    question = QuestionFactory(kind=QuestionKind.MULTIPLE, allow_other=True)
    _answered(question, choices=[question.choices.first()])
    services_builder.question_update(
        actor=team_user, question=question, data={"allow_other": False}
    )
    assert not Question.objects.get(pk=question.pk).allow_other

    used = QuestionFactory(kind=QuestionKind.MULTIPLE, allow_other=True)
    _answered(used, other_text="Citrix")
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_update(
            actor=team_user, question=used, data={"allow_other": False}
        )
    assert "allow_other" in _errors(exc_info)


def test_number_range_narrows_only_as_far_as_stored_answers_allow(team_user):
    question = QuestionFactory(kind=QuestionKind.NUMBER, min_value=0, max_value=1000)
    _answered(question, number_value=Decimal("20"))
    _answered(question, number_value=Decimal("400"))
    services_builder.question_update(
        actor=team_user, question=question, data={"min_value": Decimal(10), "max_value": 500}
    )
    with pytest.raises(ValidationError) as exc_info:
        services_builder.question_update(
            actor=team_user, question=question, data={"min_value": Decimal(30), "max_value": 300}
        )
    assert set(_errors(exc_info)) == {"min_value", "max_value"}
    assert "400" in _errors(exc_info)["max_value"][0]
    assert Question.objects.get(pk=question.pk).max_value == 500


def test_texts_are_corrected_after_answers(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="x")
    services_builder.question_update(
        actor=team_user, question=question, data={"text": "Korrigiert?", "help_text": "Hilfe"}
    )
    assert Question.objects.get(pk=question.pk).text == "Korrigiert?"


def test_questions_are_added_after_answers(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="x")
    added = services_builder.question_create(
        actor=team_user,
        questionnaire=question.questionnaire,
        data={"section": question.section, "text": "Neu?", "kind": QuestionKind.YES_NO},
    )
    assert added.pk


def test_retire_and_reopen_keep_the_answers(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    answer = _answered(question, text_value="x")
    services_builder.question_retire(actor=team_user, question=question)
    assert Question.objects.get(pk=question.pk).is_retired
    services_builder.question_retire(actor=team_user, question=question, retired=False)
    assert not Question.objects.get(pk=question.pk).is_retired
    assert answer.__class__.objects.filter(pk=answer.pk).exists()
    assert AuditEntry.objects.filter(action="surveys.question.reopened").exists()


def test_section_with_questions_is_deleted_before_answers(team_user):
    question = QuestionFactory()
    services_builder.section_delete(actor=team_user, section=question.section)
    assert not Question.objects.filter(pk=question.pk).exists()


def test_section_with_questions_is_kept_after_answers_but_an_empty_one_goes(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="x")
    empty = SectionFactory(questionnaire=question.questionnaire)
    with pytest.raises(ValidationError, match="Schließen Sie stattdessen"):
        services_builder.section_delete(actor=team_user, section=question.section)
    services_builder.section_delete(actor=team_user, section=empty)
    assert list(question.questionnaire.sections.all()) == [question.section]


# Order


def test_question_moves_within_and_across_sections(team_user):
    questionnaire = QuestionnaireFactory(draft=True)
    first_section = SectionFactory(questionnaire=questionnaire, position=0)
    second_section = SectionFactory(questionnaire=questionnaire, position=1)
    a = QuestionFactory(questionnaire=questionnaire, section=first_section, position=0)
    b = QuestionFactory(questionnaire=questionnaire, section=first_section, position=1)
    c = QuestionFactory(questionnaire=questionnaire, section=second_section, position=0)

    def order():
        return [(q.section_id, q.pk) for q in Question.objects.filter(questionnaire=questionnaire)]

    services_builder.question_move(actor=team_user, question=b, direction="up")
    assert order() == [
        (first_section.pk, b.pk),
        (first_section.pk, a.pk),
        (second_section.pk, c.pk),
    ]
    services_builder.question_move(actor=team_user, question=a, direction="down")
    assert order() == [
        (first_section.pk, b.pk),
        (second_section.pk, a.pk),
        (second_section.pk, c.pk),
    ]
    services_builder.question_move(actor=team_user, question=b, direction="up")  # already first
    assert order()[0] == (first_section.pk, b.pk)


def test_move_refuses_other_directions(team_user):
    question = QuestionFactory()
    with pytest.raises(ValidationError):
        services_builder.question_move(actor=team_user, question=question, direction="sideways")


def test_sections_swap_places(team_user):
    questionnaire = QuestionnaireFactory(draft=True)
    first = SectionFactory(questionnaire=questionnaire, position=0)
    second = SectionFactory(questionnaire=questionnaire, position=1)
    services_builder.section_move(actor=team_user, section=second, direction="up")
    assert list(questionnaire.sections.all()) == [second, first]


def test_publishing_mails_the_audience_editors_unless_they_opted_out(outbox, team_user):
    from initiativek.core.constants import NotificationKind
    from initiativek.core.models import Notification, NotificationPreference
    from initiativek.surveys import services_builder
    from tests.organizations.factories import MembershipFactory
    from tests.surveys.factories import QuestionFactory, QuestionnaireFactory

    questionnaire = QuestionnaireFactory(draft=True, title="Homeoffice 2026")
    QuestionFactory(questionnaire=questionnaire, kind="text")
    wants_mail = MembershipFactory(editor=True).user
    opted_out = MembershipFactory(editor=True).user
    NotificationPreference.objects.create(
        user=opted_out, kind=NotificationKind.QUESTIONNAIRE, email=False
    )
    services_builder.questionnaire_publish(actor=team_user, questionnaire=questionnaire)
    recipients = [address for mail in outbox for address in mail.to]
    assert wants_mail.email in recipients
    assert opted_out.email not in recipients
    assert "Homeoffice 2026" in outbox[0].subject
    assert Notification.objects.filter(user=opted_out).exists()
