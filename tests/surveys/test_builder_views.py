from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiativek.surveys.constants import QuestionKind, QuestionnaireStatus
from initiativek.surveys.models import Question, Questionnaire
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

NO_ROWS = {
    "q-c-TOTAL_FORMS": "0",
    "q-c-INITIAL_FORMS": "0",
    "q-c-MIN_NUM_FORMS": "0",
    "q-c-MAX_NUM_FORMS": "200",
}


def _question_post(section, **fields) -> dict:
    data = {
        "q-section": section.pk,
        "q-text": "Wie viele?",
        "q-kind": QuestionKind.TEXT,
        **NO_ROWS,
    }
    data.update({f"q-{name}": value for name, value in fields.items()})
    return data


def _rows_post(question, **overrides) -> dict:
    """The choice rows of ``question`` as the edit form posts them (``label_<pk>`` overrides)."""
    choices = list(question.choices.all())
    data = {
        "q-c-TOTAL_FORMS": str(len(choices)),
        "q-c-INITIAL_FORMS": str(len(choices)),
        "q-c-MIN_NUM_FORMS": "0",
        "q-c-MAX_NUM_FORMS": "200",
    }
    for index, choice in enumerate(choices):
        data[f"q-c-{index}-id"] = str(choice.pk)
        data[f"q-c-{index}-label"] = overrides.get(f"label_{choice.pk}", choice.label)
    return data


def _answered(question, **values):
    response = ResponseFactory(questionnaire=question.questionnaire)
    return AnswerFactory(response=response, question=question, **values)


def _urls(questionnaire, section, question) -> list[tuple[str, str]]:
    """Every builder URL as (method, url)."""
    slug = questionnaire.slug
    return [
        ("get", reverse("surveys:create")),
        ("get", reverse("surveys:edit", args=[slug])),
        ("get", reverse("surveys:publish", args=[slug])),
        ("get", reverse("surveys:close", args=[slug])),
        ("get", reverse("surveys:copy", args=[slug])),
        ("get", reverse("surveys:delete", args=[slug])),
        ("get", reverse("surveys:section-create", args=[slug])),
        ("get", reverse("surveys:section-edit", args=[slug, section.pk])),
        ("get", reverse("surveys:section-delete", args=[slug, section.pk])),
        ("get", reverse("surveys:question-create", args=[slug])),
        ("get", reverse("surveys:question-edit", args=[slug, question.pk])),
        ("get", reverse("surveys:question-delete", args=[slug, question.pk])),
        ("post", reverse("surveys:question-retire", args=[slug, question.pk])),
        ("post", reverse("surveys:question-move", args=[slug, question.pk])),
    ]


@pytest.fixture
def question():
    return QuestionFactory(questionnaire=QuestionnaireFactory(draft=True))


# Who may build


def test_anonymous_people_are_sent_to_sign_in(client, question):
    for method, url in _urls(question.questionnaire, question.section, question):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]


def test_members_are_refused(question):
    admin = MembershipFactory(admin=True).user
    client = client_for(admin)
    for method, url in _urls(question.questionnaire, question.section, question):
        assert getattr(client, method)(url).status_code == 403, url
    assert not Question.objects.get(pk=question.pk).is_retired


def test_the_team_opens_every_builder_page(team_user, question):
    client = client_for(team_user)
    for method, url in _urls(question.questionnaire, question.section, question):
        if method == "get":
            assert client.get(url).status_code == 200, url


# The team builds a questionnaire


def test_team_creates_a_questionnaire_adds_questions_of_every_kind_and_publishes(team_user):
    client = client_for(team_user)
    today = timezone.localdate()
    response = client.post(
        reverse("surveys:create"),
        {
            "f-title": "Verwaltung im Homeoffice",
            "f-introduction": "Bitte für die **ganze** Verwaltung.",
            "f-opens_on": today.isoformat(),
            "f-closes_on": (today + timedelta(days=30)).isoformat(),
            "f-audience_kinds": ["stadt", "gemeinde"],
        },
    )
    questionnaire = Questionnaire.objects.get(title="Verwaltung im Homeoffice")
    assert response["Location"] == reverse("surveys:edit", args=[questionnaire.slug])
    assert questionnaire.audience_kinds == ["stadt", "gemeinde"]

    response = client.post(
        reverse("surveys:section-create", args=[questionnaire.slug]), {"s-title": "Technik"}
    )
    section = questionnaire.sections.get()
    assert response.status_code == 302

    url = reverse("surveys:question-create", args=[questionnaire.slug]) + f"?abschnitt={section.pk}"
    kinds = {
        QuestionKind.SINGLE: {"new_choices": "VPN\nVDI\n\nCloud", "allow_other": "on"},
        QuestionKind.MULTIPLE: {"new_choices": "Laptop\nTablet"},
        QuestionKind.SCALE: {"scale_min_label": "gar nicht", "scale_max_label": "sehr stark"},
        QuestionKind.NUMBER: {"unit": "Geräte", "min_value": "0", "max_value": "1.000,5"},
        QuestionKind.PERCENTAGE: {"required": "on"},
        QuestionKind.YES_NO: {},
        QuestionKind.TEXT: {"help_text": "Stichworte genügen."},
    }
    for kind, fields in kinds.items():
        response = client.post(url, _question_post(section, kind=kind, text=f"{kind}?", **fields))
        assert response.status_code == 302, (kind, response.context["form"].errors)

    questions = {q.kind: q for q in questionnaire.questions.all()}
    assert set(questions) == set(kinds)
    assert list(questions["single"].choices.values_list("label", flat=True)) == [
        "VPN",
        "VDI",
        "Cloud",
    ]
    assert str(questions["number"].max_value) == "1000.50"

    page = client.get(reverse("surveys:edit", args=[questionnaire.slug]))
    assert "Einfachauswahl" in page.content.decode()

    response = client.post(reverse("surveys:publish", args=[questionnaire.slug]))
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED


def test_publish_page_lists_what_is_missing(team_user):
    questionnaire = QuestionnaireFactory(draft=True, opens_on=None, closes_on=None)
    client = client_for(team_user)
    page = client.get(reverse("surveys:publish", args=[questionnaire.slug])).content.decode()
    assert "noch keine Frage" in page
    response = client.post(reverse("surveys:publish", args=[questionnaire.slug]), follow=True)
    assert "noch keine Frage" in response.content.decode()
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.DRAFT


def test_errors_keep_what_was_typed(team_user, question):
    client = client_for(team_user)
    response = client.post(
        reverse("surveys:question-create", args=[question.questionnaire.slug]),
        _question_post(
            question.section,
            kind=QuestionKind.NUMBER,
            text="Wie viele Laptops gab es?",
            min_value="50",
            max_value="10",
            unit="Geräte",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wie viele Laptops gab es?" in page
    assert 'value="Geräte"' in page
    assert "nicht kleiner sein als der kleinste" in page
    assert question.questionnaire.questions.count() == 1


def test_questionnaire_form_errors_keep_input(team_user):
    response = client_for(team_user).post(
        reverse("surveys:create"),
        {
            "f-title": "Umfrage Digitalisierung",
            "f-opens_on": "2030-05-10",
            "f-closes_on": "2030-05-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Umfrage Digitalisierung"' in page
    assert "nicht vor dem Beginn" in page
    assert not Questionnaire.objects.filter(title="Umfrage Digitalisierung").exists()


def test_copy_of_a_template_becomes_a_draft(team_user):
    template = QuestionnaireFactory(template=True, title="Feedback zur Veranstaltung")
    QuestionFactory(questionnaire=template)
    response = client_for(team_user).post(
        reverse("surveys:copy", args=[template.slug]), {"k-title": "Feedback Ravensburg"}
    )
    copy = Questionnaire.objects.get(title="Feedback Ravensburg")
    assert response["Location"] == reverse("surveys:edit", args=[copy.slug])
    assert copy.questions.count() == 1


def test_delete_a_draft_after_confirmation(team_user, question):
    client = client_for(team_user)
    slug = question.questionnaire.slug
    assert (
        "Endgültig löschen" in client.get(reverse("surveys:delete", args=[slug])).content.decode()
    )
    response = client.post(reverse("surveys:delete", args=[slug]))
    assert response["Location"] == reverse("surveys:list")
    assert not Questionnaire.objects.filter(pk=question.questionnaire_id).exists()


def test_move_and_retire_questions(team_user, question):
    second = QuestionFactory(questionnaire=question.questionnaire, section=question.section)
    client = client_for(team_user)
    slug = question.questionnaire.slug
    client.post(reverse("surveys:question-move", args=[slug, second.pk]), {"direction": "up"})
    assert list(question.questionnaire.questions.all()) == [second, question]
    client.post(reverse("surveys:question-retire", args=[slug, second.pk]), {"retired": "1"})
    assert Question.objects.get(pk=second.pk).is_retired
    page = client.get(reverse("surveys:edit", args=[slug])).content.decode()
    assert "geschlossen" in page
    assert "Wieder öffnen" in page


# After answers


def test_overview_explains_instead_of_offering_delete_once_answered(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="x")
    page = client_for(team_user).get(reverse("surveys:edit", args=[question.questionnaire.slug]))
    content = page.content.decode()
    assert "Dieser Fragebogen hat bereits Antworten" in content
    assert "kann nicht gelöscht werden, weil bereits 1 Organisation geantwortet hat" in content
    assert (
        reverse("surveys:question-delete", args=[question.questionnaire.slug, question.pk])
        not in content
    )


def test_deleting_an_answered_question_is_refused_with_a_message(team_user):
    question = QuestionFactory(kind=QuestionKind.TEXT)
    _answered(question, text_value="x")
    client = client_for(team_user)
    url = reverse("surveys:question-delete", args=[question.questionnaire.slug, question.pk])
    assert "Frage schließen" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_removing_a_choice_after_answers_is_refused_and_input_kept(team_user):
    question = QuestionFactory(choices=["VPN", "VDI", "Cloud"])
    _answered(question, choices=[question.choices.first()])
    cloud = question.choices.get(label="Cloud")
    vdi = question.choices.get(label="VDI")
    data = {
        **_question_post(question.section, kind=QuestionKind.SINGLE, text="Zugang?"),
        **_rows_post(question, **{f"label_{cloud.pk}": "", f"label_{vdi.pk}": "VDI (Citrix)"}),
    }
    data.pop("q-kind")  # disabled once answered
    url = reverse("surveys:question-edit", args=[question.questionnaire.slug, question.pk])
    response = client_for(team_user).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "„Cloud“ kann nicht entfernt werden" in page
    assert 'value="VDI (Citrix)"' in page
    assert question.choices.count() == 3


def test_renaming_a_choice_after_answers_is_saved(team_user):
    question = QuestionFactory(choices=["VPN", "VDI"])
    _answered(question, choices=[question.choices.first()])
    vdi = question.choices.get(label="VDI")
    data = {
        **_question_post(question.section, text="Zugang?", new_choices="Cloud"),
        **_rows_post(question, **{f"label_{vdi.pk}": "VDI (Citrix)"}),
    }
    url = reverse("surveys:question-edit", args=[question.questionnaire.slug, question.pk])
    response = client_for(team_user).post(url, data)
    assert response.status_code == 302
    assert list(question.choices.values_list("label", flat=True)) == [
        "VPN",
        "VDI (Citrix)",
        "Cloud",
    ]
    assert Question.objects.get(pk=question.pk).kind == QuestionKind.SINGLE


# Forged input


def test_forged_pks_and_values_are_404(team_user, question):
    client = client_for(team_user)
    slug = question.questionnaire.slug
    foreign = QuestionFactory()
    assert client.get(reverse("surveys:question-edit", args=[slug, foreign.pk])).status_code == 404
    assert (
        client.post(
            reverse("surveys:question-retire", args=[slug, foreign.pk]), {"retired": "1"}
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("surveys:section-edit", args=[slug, foreign.section.pk])).status_code
        == 404
    )
    create = reverse("surveys:question-create", args=[slug])
    assert client.get(f"{create}?abschnitt={foreign.section.pk}").status_code == 404
    assert client.get(f"{create}?abschnitt=abc").status_code == 404
    move = reverse("surveys:question-move", args=[slug, question.pk])
    assert client.post(move, {"direction": "sideways"}).status_code == 404
    retire = reverse("surveys:question-retire", args=[slug, question.pk])
    assert client.post(retire, {"retired": "vielleicht"}).status_code == 404
    assert client.get(move).status_code == 405
    assert not Question.objects.get(pk=foreign.pk).is_retired


def test_unknown_kind_and_foreign_section_are_form_errors(team_user, question):
    client = client_for(team_user)
    url = reverse("surveys:question-create", args=[question.questionnaire.slug])
    response = client.post(url, _question_post(question.section, kind="erfunden"))
    assert response.status_code == 200
    response = client.post(url, _question_post(SectionFactory(), kind=QuestionKind.TEXT))
    assert response.status_code == 200
    assert question.questionnaire.questions.count() == 1


def test_a_forged_choice_row_is_refused(team_user):
    question = QuestionFactory(choices=["A", "B"])
    foreign = QuestionFactory().choices.first()
    rows = _rows_post(question)
    rows.update({"q-c-TOTAL_FORMS": "3", "q-c-2-id": str(foreign.pk), "q-c-2-label": "X"})
    data = {**_question_post(question.section, kind=QuestionKind.SINGLE), **rows}
    url = reverse("surveys:question-edit", args=[question.questionnaire.slug, question.pk])
    response = client_for(team_user).post(url, data)
    assert response.status_code == 200
    assert "gehört nicht zu dieser Frage" in response.content.decode()
    assert foreign.question.choices.count() == 3


def test_overview_query_count_is_bounded(team_user, django_assert_max_num_queries):
    questionnaire = QuestionnaireFactory(draft=True)
    for _ in range(3):
        section = SectionFactory(questionnaire=questionnaire)
        for _ in range(4):
            QuestionFactory(questionnaire=questionnaire, section=section)
    client = client_for(team_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("surveys:edit", args=[questionnaire.slug]))
