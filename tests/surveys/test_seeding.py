from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from initiativek.organizations import demo as organizations_demo
from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys import engine
from initiativek.surveys.constants import Phase, QuestionnaireStatus, ResponseStatus
from initiativek.surveys.definitions import EVENT_FEEDBACK, HOMEOFFICE
from initiativek.surveys.models import Answer, Questionnaire, Response, ResponseChange
from initiativek.surveys.seeding import DEMO_MARK, DEMO_TOWNS, seed_demo_surveys
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

RAVENSBURG = organizations_demo.DEMO_ORGANIZATION_AGS


@pytest.fixture
def demo_towns():
    """The demo member towns, plus a partner and a non-member that must not answer."""
    towns = {
        ags: OrganizationFactory(ags=ags, name=name, kind=OrganizationKind.GROSSE_KREISSTADT)
        for ags, name in organizations_demo.MEMBER_MUNICIPALITIES.items()
    }
    OrganizationFactory(slug="ncp", name="NCP", kind=OrganizationKind.PARTNER)
    OrganizationFactory(
        name="Stadtwerke Konstanz", kind=OrganizationKind.STADTWERKE, is_member=False
    )
    return towns


def _homeoffice():
    return Questionnaire.objects.get(slug=HOMEOFFICE.slug)


def _snapshot():
    """Everything the seeding may write, comparable between runs."""
    answers = Answer.objects.order_by("response__organization__ags", "question__key")
    return (
        list(Questionnaire.objects.values_list("slug", "status", "opens_on", "closes_on")),
        list(Response.objects.values_list("organization__ags", "status", "is_demo", "updated_at")),
        [
            (
                a.response.organization.ags,
                a.question.key,
                a.number_value,
                a.bool_value,
                a.text_value,
                a.other_text,
                sorted(c.label for c in a.choices.all()),
            )
            for a in answers.select_related("response__organization", "question").prefetch_related(
                "choices"
            )
        ],
        ResponseChange.objects.count(),
    )


def test_demo_profiles_cover_exactly_the_demo_member_towns():
    assert {town.ags for town in DEMO_TOWNS} == set(organizations_demo.MEMBER_MUNICIPALITIES)


def test_every_demo_member_town_gets_a_submitted_demo_response(demo_towns):
    assert seed_demo_surveys() == len(demo_towns)
    responses = Response.objects.filter(questionnaire=_homeoffice())
    assert {r.organization.ags for r in responses} == set(demo_towns)
    assert RAVENSBURG in {r.organization.ags for r in responses}
    assert all(r.status == ResponseStatus.SUBMITTED and r.submitted_at for r in responses)
    assert all(r.is_demo for r in responses)
    assert not Response.objects.exclude(organization__ags__in=demo_towns).exists()


def test_every_demo_value_passes_the_engine_rules(demo_towns):
    seed_demo_surveys()
    questionnaire = _homeoffice()
    questions = list(questionnaire.questions.prefetch_related("choices"))
    by_pk = {question.pk: question for question in questions}
    for response in questionnaire.responses.prefetch_related("answers__choices"):
        values = {}
        for answer in response.answers.all():
            question = by_pk[answer.question_id]
            value = engine.value_from_answer(answer)
            assert not value.is_empty
            engine.value_check(
                question, value, choice_ids=[choice.pk for choice in question.choices.all()]
            )
            values[question.pk] = value
        assert engine.missing_required(questions, values) == []


def test_demo_answers_are_plausible_and_varied(demo_towns):
    seed_demo_surveys()
    numbers = {}
    for answer in Answer.objects.select_related("question", "response__organization"):
        numbers.setdefault(answer.question.key, {})[answer.response.organization.ags] = (
            answer.number_value
        )
    for ags in demo_towns:
        assert numbers["anteil-moeglich-vorher"][ags] < numbers["anteil-moeglich-2021"][ags]
        assert numbers["anteil-genutzt-2021"][ags] <= numbers["anteil-moeglich-2021"][ags]
    assert len(set(numbers["anteil-moeglich-2021"].values())) > 3
    assert len(set(numbers["it-belastung"].values())) > 1


def test_demo_free_texts_are_marked_as_demo(demo_towns):
    seed_demo_surveys()
    texts = list(Answer.objects.exclude(text_value="").values_list("text_value", flat=True))
    others = list(Answer.objects.exclude(other_text="").values_list("other_text", flat=True))
    assert texts and others
    assert all(text.endswith(DEMO_MARK) for text in texts + others)


def test_consents_vary_with_most_towns_open_to_contact(demo_towns):
    seed_demo_surveys()
    responses = Response.objects.all()
    contact = [r.consent_contact for r in responses]
    named = [r.consent_named_text for r in responses]
    assert sum(contact) > len(contact) / 2 and not all(contact)
    assert any(named) and not all(named)


def test_the_draft_questionnaire_is_opened_30_days_ago_for_60_more_days(demo_towns):
    seed_demo_surveys()
    questionnaire = _homeoffice()
    today = timezone.localdate()
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED
    assert questionnaire.opens_on == today - timedelta(days=30)
    assert questionnaire.closes_on == today + timedelta(days=60)
    assert questionnaire.phase() == Phase.OPEN


def test_a_questionnaire_the_team_published_keeps_its_dates(demo_towns):
    opens_on, closes_on = timezone.localdate() - timedelta(days=3), timezone.localdate()
    Questionnaire.objects.filter(slug=HOMEOFFICE.slug).update(
        status=QuestionnaireStatus.PUBLISHED, opens_on=opens_on, closes_on=closes_on
    )
    seed_demo_surveys()
    assert (_homeoffice().opens_on, _homeoffice().closes_on) == (opens_on, closes_on)


def test_the_template_stays_untouched(demo_towns):
    template = Questionnaire.objects.get(slug=EVENT_FEEDBACK.slug)
    seed_demo_surveys()
    after = Questionnaire.objects.get(pk=template.pk)
    assert (after.status, after.updated_at, after.responses.count()) == (
        QuestionnaireStatus.DRAFT,
        template.updated_at,
        0,
    )


def test_seeding_twice_changes_nothing(demo_towns):
    seed_demo_surveys()
    first, version = _snapshot(), _homeoffice().results_version
    assert seed_demo_surveys() == 0
    assert _snapshot() == first
    assert _homeoffice().results_version == version


def test_an_existing_response_of_a_town_is_kept(demo_towns):
    from tests.surveys.factories import ResponseFactory

    own = ResponseFactory(questionnaire=_homeoffice(), organization=demo_towns[RAVENSBURG])
    assert seed_demo_surveys() == len(demo_towns) - 1
    own.refresh_from_db()
    assert (own.is_demo, own.status, own.answers.count()) == (False, ResponseStatus.DRAFT, 0)


def test_demo_values_are_the_same_on_every_run(demo_towns):
    seed_demo_surveys()
    first = _snapshot()[2]
    Response.objects.all().delete()
    seed_demo_surveys()
    assert _snapshot()[2] == first


def test_missing_demo_towns_are_skipped():
    OrganizationFactory(ags=RAVENSBURG, name="Ravensburg")
    assert seed_demo_surveys() == 1


def test_seed_demo_command_answers_for_the_demo_editors_town(capsys):
    call_command("seed_demo", force=True)
    assert "Antwortbögen Erfahrungsaustausch: 8 neu" in capsys.readouterr().out
    responses = Response.objects.filter(questionnaire__slug=HOMEOFFICE.slug)
    assert responses.count() == len(organizations_demo.MEMBER_MUNICIPALITIES)
    assert responses.filter(organization__ags=RAVENSBURG, is_demo=True).exists()
    assert not responses.filter(organization__kind=OrganizationKind.PARTNER).exists()
    call_command("seed_demo", force=True)
    assert "Antwortbögen Erfahrungsaustausch: 0 neu" in capsys.readouterr().out
