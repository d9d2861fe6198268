"""The change signal of the engine's input: a version renewed by receivers, and the safety check
for changes that send no signals."""

import pytest

from initiativek.cooperation.recommendations import changes
from initiativek.cooperation.recommendations.changes import data_version
from initiativek.cooperation.recommendations.index import match_index_clear, match_index_get
from initiativek.core.models import Topic
from initiativek.projects.constants import Publication
from initiativek.projects.models import Project
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Question, Response
from tests.organizations.factories import OrganizationFactory
from tests.projects.factories import ProjectFactory, TagFactory


@pytest.fixture(autouse=True)
def _fresh_index():
    match_index_clear()
    yield
    match_index_clear()


def _answer_obstacles(organization, labels):
    question = Question.objects.get(questionnaire__slug="homeoffice-corona", key="hindernisse")
    response = Response.objects.create(
        questionnaire=question.questionnaire,
        organization=organization,
        status=ResponseStatus.SUBMITTED,
        consent_contact=True,
    )
    answer = Answer.objects.create(response=response, question=question)
    answer.choices.set(question.choices.filter(label__in=labels))
    return response


def _rename_organization(project):
    project.owner.name = "Neuer Name"
    project.owner.save()


def _save_project(project):
    project.title = "Neuer Titel"
    project.save()


def _add_topic(project):
    project.topics.add(Topic.objects.exclude(pk__in=project.topics.all()).first())


def _add_technology(project):
    project.technologies.add(TagFactory())


def _delete_project(project):
    project.delete()


def _answer_questionnaire(project):
    _answer_obstacles(project.owner, ["Papierakten"])


def _withdraw_consent(project):
    response = _answer_obstacles(project.owner, ["Papierakten"])
    version = data_version()
    response.consent_contact = False
    response.save()
    assert data_version() != version


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        _rename_organization,
        _save_project,
        _add_topic,
        _add_technology,
        _delete_project,
        _answer_questionnaire,
        _withdraw_consent,
    ],
)
def test_every_change_of_the_engines_input_renews_the_version(change):
    project = ProjectFactory()
    version = data_version()
    change(project)
    assert data_version() != version


@pytest.mark.django_db
def test_the_version_is_renewed_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    # An index built by another request between the save and the commit read the old data; it
    # must not stay under the version of the new data.
    project = ProjectFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        project.save()
        saved = data_version()
    assert callbacks
    for callback in callbacks:
        callback()
    assert data_version() != saved


@pytest.mark.django_db
def test_a_new_questionnaire_answer_shows_in_the_suggestions():
    town, village = OrganizationFactory(), OrganizationFactory()
    _answer_obstacles(town, ["Papierakten"])
    assert match_index_get().index.signal("survey", town.pk, village.pk) == 0
    _answer_obstacles(village, ["Papierakten"])
    assert match_index_get().index.signal("survey", town.pk, village.pk) == 1


@pytest.mark.django_db
def test_a_change_without_signals_shows_after_the_safety_check(monkeypatch):
    town = OrganizationFactory()
    ProjectFactory(owner=town)
    draft = ProjectFactory(owner=town, draft=True)
    before = match_index_get()
    Project.objects.filter(pk=draft.pk).update(publication=Publication.PUBLISHED)
    # Within the interval the index is served without reading all of the data …
    assert match_index_get() is before
    # … and after it, the full signature finds the change.
    monkeypatch.setattr(changes, "SAFETY_CHECK_SECONDS", 0)
    after = match_index_get()
    assert after is not before
    assert draft.pk in after.projects


@pytest.mark.django_db
def test_drafts_of_questionnaire_answers_do_not_renew_the_version():
    """The engine reads submitted responses only; a draft saved every few seconds must not
    start a rebuild of the whole index each time."""
    organization = OrganizationFactory()
    question = Question.objects.get(questionnaire__slug="homeoffice-corona", key="hindernisse")
    version = data_version()
    response = Response.objects.create(
        questionnaire=question.questionnaire, organization=organization
    )
    answer = Answer.objects.create(response=response, question=question)
    answer.choices.set(question.choices.all()[:1])
    response.save()
    assert data_version() == version

    response.status = ResponseStatus.SUBMITTED
    response.save()
    assert data_version() != version
    version = data_version()
    answer.save()
    assert data_version() != version
    version = data_version()
    response.status = ResponseStatus.DRAFT
    response.save(update_fields=["status"])
    assert data_version() != version
