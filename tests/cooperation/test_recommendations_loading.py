"""The engine's input from the database, and the cached index."""

import threading
from decimal import Decimal

import pytest
from django.test import override_settings

from initiativek.cooperation.matching import IMPLEMENTED, OTHER, PLANNED, Weights
from initiativek.cooperation.recommendations import index as index_module
from initiativek.cooperation.recommendations.index import match_index_clear, match_index_get
from initiativek.cooperation.recommendations.loading import (
    match_data_load,
    project_stage,
    survey_features,
)
from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.projects.constants import Publication
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Question, Response
from tests.organizations.factories import OrganizationFactory, RegionFactory
from tests.projects.factories import ProjectFactory, TagFactory


@pytest.fixture(autouse=True)
def _fresh_index():
    match_index_clear()
    yield
    match_index_clear()


def _by_id(items):
    return {item.id: item for item in items}


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("idee", PLANNED),
        ("geplant", PLANNED),
        ("in_umsetzung", IMPLEMENTED),
        ("umgesetzt", IMPLEMENTED),
        ("eingestellt", OTHER),
    ],
)
def test_project_status_maps_to_engine_stage(status, stage):
    assert project_stage(status) == stage


@pytest.mark.django_db
def test_only_member_organizations_without_partner_companies_are_candidates():
    member = OrganizationFactory()
    outsider = OrganizationFactory(not_member=True)
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    ids = {organization.id for organization in match_data_load().organizations}
    assert member.pk in ids
    assert outsider.pk not in ids
    assert partner.pk not in ids


@pytest.mark.django_db
def test_only_published_projects_of_candidates_are_loaded():
    town = OrganizationFactory()
    published = ProjectFactory(owner=town)
    draft = ProjectFactory(owner=town, draft=True)
    archived = ProjectFactory(owner=town, archived=True)
    of_outsider = ProjectFactory(owner=OrganizationFactory(not_member=True))
    of_partner = ProjectFactory(owner=OrganizationFactory(kind=OrganizationKind.PARTNER))
    ids = {project.id for project in match_data_load().projects}
    assert ids == {published.pk}
    assert not ids & {draft.pk, archived.pk, of_outsider.pk, of_partner.pk}


@pytest.mark.django_db
def test_project_carries_topics_tags_text_stage_and_reuse():
    eakte = Topic.objects.get(slug="eakte-dms")
    project = ProjectFactory(
        title="E-Akte im Rathaus",
        summary="Alle Ämter arbeiten digital.",
        description="Mit **Schulungen**.",
        status="umgesetzt",
        reuse_offered=True,
        topics=[eakte],
    )
    technology = TagFactory(kind="technologie", name="enaio")
    vendor = TagFactory(kind="anbieter", name="Optimal Systems")
    project.technologies.set([technology])
    project.vendors.set([vendor])
    loaded = _by_id(match_data_load().projects)[project.pk]
    assert loaded.organization_id == project.owner_id
    assert loaded.stage == IMPLEMENTED
    assert loaded.topics == frozenset({eakte.pk})
    assert loaded.tags == frozenset({technology.pk, vendor.pk})
    assert "E-Akte im Rathaus" in loaded.text
    assert "Alle Ämter arbeiten digital." in loaded.text
    assert "Schulungen" in loaded.text
    assert loaded.reuse_offered is True


@pytest.mark.django_db
def test_kreis_and_bezirk_come_from_the_ags():
    town = OrganizationFactory(ags="08436064")
    loaded = _by_id(match_data_load().organizations)[town.pk]
    assert loaded.kreis == "08436"
    assert loaded.bezirk == "084"


@pytest.mark.django_db
def test_company_without_ags_takes_kreis_and_coordinates_of_its_parent_town():
    town = OrganizationFactory(
        ags="08335043", latitude=Decimal("47.66"), longitude=Decimal("9.18"), population=85000
    )
    company = OrganizationFactory(kind=OrganizationKind.STADTWERKE, parent=town)
    loaded = _by_id(match_data_load().organizations)[company.pk]
    assert loaded.kreis == "08335"
    assert loaded.bezirk == "083"
    assert loaded.latitude == pytest.approx(47.66)
    assert loaded.longitude == pytest.approx(9.18)
    assert loaded.population is None  # a company's size is not its town's


@pytest.mark.django_db
def test_region_key_is_the_last_fallback_for_kreis_and_bezirk():
    bezirk = RegionFactory(key="081", level=RegionLevel.REGIERUNGSBEZIRK, name="Stuttgart")
    association = OrganizationFactory(kind=OrganizationKind.VERBAND, region=bezirk)
    loaded = _by_id(match_data_load().organizations)[association.pk]
    assert loaded.kreis is None
    assert loaded.bezirk == "081"


@pytest.mark.django_db
def test_organization_without_any_key_or_coordinates_is_still_loaded():
    lonely = OrganizationFactory()
    loaded = _by_id(match_data_load().organizations)[lonely.pk]
    assert (loaded.kreis, loaded.bezirk, loaded.latitude, loaded.longitude) == (
        None,
        None,
        None,
        None,
    )


def _answer_obstacles(organization, labels, *, status=ResponseStatus.SUBMITTED, consent=True):
    question = Question.objects.get(questionnaire__slug="homeoffice-corona", key="hindernisse")
    response = Response.objects.create(
        questionnaire=question.questionnaire,
        organization=organization,
        status=status,
        consent_contact=consent,
    )
    answer = Answer.objects.create(response=response, question=question)
    answer.choices.set(question.choices.filter(label__in=labels))
    return answer


@pytest.mark.django_db
def test_survey_features_are_the_obstacles_of_submitted_answers():
    town, drafting = OrganizationFactory(), OrganizationFactory()
    _answer_obstacles(town, ["Papierakten", "Fachverfahren ohne Fernzugriff"])
    _answer_obstacles(drafting, ["Papierakten"], status=ResponseStatus.DRAFT)
    features = survey_features()
    assert features[town.pk] == frozenset(
        {"Hindernis: Papierakten", "Hindernis: Fachverfahren ohne Fernzugriff"}
    )
    assert drafting.pk not in features


@pytest.mark.django_db
def test_survey_answers_without_consent_to_be_contacted_are_not_used():
    # The reasons name shared obstacles; the questionnaire promised attribution only with
    # consent.
    consenting, private = OrganizationFactory(), OrganizationFactory()
    _answer_obstacles(consenting, ["Papierakten"])
    _answer_obstacles(private, ["Papierakten"], consent=False)
    features = survey_features()
    assert features[consenting.pk] == frozenset({"Hindernis: Papierakten"})
    assert private.pk not in features


@pytest.mark.django_db
def test_survey_features_are_empty_without_the_questionnaire():
    Question.objects.filter(questionnaire__slug="homeoffice-corona").update(is_retired=True)
    assert survey_features() == {}


@pytest.mark.django_db
def test_index_is_reused_while_the_data_is_unchanged():
    ProjectFactory()
    first = match_index_get()
    assert match_index_get() is first


@pytest.mark.django_db
def test_index_is_rebuilt_when_a_project_is_published():
    town = OrganizationFactory()
    ProjectFactory(owner=town)
    draft = ProjectFactory(owner=town, draft=True)
    before = match_index_get()
    assert draft.pk not in before.projects
    draft.publication = Publication.PUBLISHED
    draft.save()
    after = match_index_get()
    assert after is not before
    assert draft.pk in after.projects


@pytest.mark.django_db
def test_index_is_rebuilt_when_the_weights_change():
    before = match_index_get()
    with override_settings(COOPERATION_MATCH_WEIGHTS={"distance": 0}):
        after = match_index_get()
    assert after is not before
    assert after.weights.distance == 0


@pytest.mark.django_db
def test_concurrent_requests_share_one_build(monkeypatch):
    ProjectFactory()
    builds = []
    real_build = index_module.MatchIndex.build

    def counting_build(*args, **kwargs):
        builds.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(index_module.MatchIndex, "build", counting_build)
    # The threads must not touch the database: it holds this test's uncommitted data.
    monkeypatch.setattr(index_module, "effective_match_weights", Weights)
    signature = index_module.input_signature()
    monkeypatch.setattr(index_module, "input_signature", lambda: signature)
    data = match_data_load()
    monkeypatch.setattr(index_module, "match_data_load", lambda: data)
    results = []
    threads = [threading.Thread(target=lambda: results.append(match_index_get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len({id(result) for result in results}) == 1


@pytest.mark.django_db
def test_optional_sections_take_a_recent_index_without_waiting_for_a_rebuild():
    town = OrganizationFactory()
    draft = ProjectFactory(owner=town, draft=True)
    before = match_index_get()
    draft.publication = Publication.PUBLISHED
    draft.save()
    assert match_index_get(stale_ok=True) is before
    assert match_index_get() is not before


@pytest.mark.django_db
def test_optional_sections_rebuild_an_index_that_is_too_old(monkeypatch):
    before = match_index_get()
    ProjectFactory()
    monkeypatch.setattr(index_module, "STALE_OK_SECONDS", 0)
    assert match_index_get(stale_ok=True) is not before


@pytest.mark.django_db
def test_optional_sections_build_when_there_is_no_index():
    project = ProjectFactory()
    assert project.pk in match_index_get(stale_ok=True).projects
