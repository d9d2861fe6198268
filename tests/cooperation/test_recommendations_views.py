"""/kooperation/empfehlungen/: who sees what, filters, hiding and showing again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from initiativek.cooperation.constants import DismissalReason, ProposalStatus
from initiativek.cooperation.models import RecommendationDismissal
from initiativek.cooperation.recommendations import index as index_module
from initiativek.cooperation.recommendations.index import match_index_clear
from initiativek.cooperation.views.recommendations import PAGE_SIZE
from initiativek.core.models import AuditEntry, Topic
from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Question, Response
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.cooperation.factories import ProposalFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("cooperation:recommendations")
DISMISS_URL = reverse("cooperation:dismiss")
DISMISSED_URL = reverse("cooperation:dismissed")


@pytest.fixture(autouse=True)
def _fresh_index():
    match_index_clear()
    yield
    match_index_clear()


def _town(name, ags, lat, lon, population, kind=OrganizationKind.GROSSE_KREISSTADT):
    slug = name.lower().replace(" ", "-")
    return OrganizationFactory(
        name=name,
        slug=slug,
        ags=ags,
        kind=kind,
        population=population,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
    )


@pytest.fixture
def world():
    """Ravensburg plans parking and an eAkte; Villingen-Schwenningen has implemented smart
    parking; Konstanz plans an eAkte too; Waiblingen is a Stadt far away with school tablets."""
    parking = Topic.objects.get(slug="mobilitaet-parken")
    eakte = Topic.objects.get(slug="eakte-dms")
    schools = Topic.objects.get(slug="schulen")
    ravensburg = _town("Ravensburg", "08436064", "47.7819", "9.6107", 50_000)
    villingen = _town("Villingen-Schwenningen", "08326074", "48.0623", "8.4936", 85_000)
    konstanz = _town("Konstanz", "08335043", "47.6603", "9.1758", 85_000)
    waiblingen = _town(
        "Waiblingen", "08119079", "48.8303", "9.3169", 55_000, kind=OrganizationKind.STADT
    )
    ProjectFactory(
        owner=ravensburg,
        title="Parkleitsystem Innenstadt",
        summary="Freie Parkplätze mit Sensoren erkennen und anzeigen.",
        topics=[parking],
    )
    ProjectFactory(
        owner=ravensburg,
        title="Elektronische Akte im Rathaus",
        summary="Akten digital führen, Dokumentenmanagement einführen.",
        topics=[eakte],
    )
    ProjectFactory(
        owner=villingen,
        title="Smart Parking",
        summary="Parkplätze mit Sensoren erkennen, freie Plätze in der App anzeigen.",
        status="umgesetzt",
        reuse_offered=True,
        topics=[parking],
    )
    ProjectFactory(
        owner=konstanz,
        title="eAkte Konstanz",
        summary="Dokumentenmanagement und elektronische Akte für alle Ämter.",
        topics=[eakte],
    )
    ProjectFactory(
        owner=waiblingen,
        title="Tablets für Schulen",
        summary="Schülerinnen und Schüler lernen mit Tablets.",
        topics=[schools],
    )
    partner = OrganizationFactory(name="Beratung GmbH", kind=OrganizationKind.PARTNER)
    ProjectFactory(owner=partner, title="Parkberatung", topics=[parking])
    return {
        "ravensburg": ravensburg,
        "villingen": villingen,
        "konstanz": konstanz,
        "waiblingen": waiblingen,
        "partner": partner,
    }


def _member(organization, **kwargs):
    return MembershipFactory(organization=organization, **kwargs).user


def _names(response):
    return [item.organization.name for item in response.context["items"]]


# --- who may see the page -------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_people_without_member_organization_get_an_explanation(world):
    response = client_for(UserFactory()).get(URL)
    assert response.status_code == 403
    assert "Mitgliedschaft beantragen" in response.content.decode()


def test_people_of_partner_companies_get_no_recommendations(world):
    response = client_for(_member(world["partner"], editor=True)).get(URL)
    assert response.status_code == 403


def test_people_of_organizations_that_are_not_yet_members_get_no_recommendations(world):
    applicant = OrganizationFactory(not_member=True)
    assert client_for(_member(applicant)).get(URL).status_code == 403


def test_member_sees_ranked_suggestions_with_reasons(world):
    response = client_for(_member(world["ravensburg"])).get(URL)
    assert response.status_code == 200
    names = _names(response)
    assert "Villingen-Schwenningen" in names and "Konstanz" in names
    assert "Ravensburg" not in names
    assert "Beratung GmbH" not in names
    body = response.content.decode()
    assert "Villingen-Schwenningen hat <a" in body
    smart_parking = world["villingen"].projects.get().get_absolute_url()
    assert f'href="{smart_parking}"' in body
    assert "<meter" in body and "von 100" in body


CREATE_URL = reverse("cooperation:create")


def test_editors_get_a_propose_link_for_their_organization(world):
    body = client_for(_member(world["ravensburg"], editor=True)).get(URL).content.decode()
    assert f"{CREATE_URL}?organisation=ravensburg&amp;partner=villingen-schwenningen" in body


def test_plain_members_get_no_propose_link_that_would_end_in_403(world):
    client = client_for(_member(world["ravensburg"]))
    body = client.get(URL).content.decode()
    assert CREATE_URL not in body
    assert "Kooperation vorschlagen" not in body


def test_team_proposes_for_the_organization_it_looks_at(world, team_user):
    body = client_for(team_user).get(URL, {"organisation": "konstanz"}).content.decode()
    assert f"{CREATE_URL}?organisation=konstanz&amp;partner=ravensburg" in body


def test_propose_link_leads_to_the_form_with_partner_chosen(world):
    editor = _member(world["ravensburg"], editor=True)
    MembershipFactory(organization=world["konstanz"], user=editor, editor=True)
    client = client_for(editor)
    response = client.get(CREATE_URL, {"organisation": "ravensburg", "partner": "konstanz"})
    assert response.status_code == 200
    assert response.context["initiator"] == world["ravensburg"]
    assert response.context["partner"] == world["konstanz"]


def test_plain_members_cannot_hide_suggestions(world):
    body = client_for(_member(world["ravensburg"])).get(URL).content.decode()
    assert DISMISS_URL not in body


def test_editors_can_hide_suggestions(world):
    body = client_for(_member(world["ravensburg"], editor=True)).get(URL).content.decode()
    assert DISMISS_URL in body
    assert "bereits Kooperationspartner" in body and "kein Interesse" in body


def test_team_without_organization_chooses_one(world, team_user):
    client = client_for(team_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Empfehlungen für" in response.content.decode()
    assert "items" not in response.context
    response = client.get(URL, {"organisation": "konstanz"})
    assert response.context["organization"] == world["konstanz"]
    assert "Ravensburg" in _names(response)


def test_person_of_two_organizations_chooses_between_them(world):
    person = _member(world["ravensburg"])
    MembershipFactory(organization=world["konstanz"], user=person)
    client = client_for(person)
    assert client.get(URL).context["organization"] == world["konstanz"]  # first by name
    chosen = client.get(URL, {"organisation": "ravensburg"}).context["organization"]
    assert chosen == world["ravensburg"]


def test_members_cannot_look_at_other_organizations_recommendations(world):
    client = client_for(_member(world["ravensburg"]))
    response = client.get(URL, {"organisation": "konstanz"})
    assert response.context["organization"] == world["ravensburg"]


def test_organization_without_projects_is_asked_to_add_some(world):
    newcomer = _town("Herrenberg", "08115021", "48.5967", "8.8706", 31_000)
    body = client_for(_member(newcomer)).get(URL).content.decode()
    assert "Legen Sie Projekte an, damit wir passende Partner finden" in body
    # Not only place, size and kind count: the questionnaire signal does, too.
    assert "nur auf Lage, Größe und Art." not in body
    assert "Fragebogen" in body


def test_page_says_when_the_suggestions_are_being_updated(world, monkeypatch):
    client = client_for(_member(world["ravensburg"]))
    assert "Empfehlungen werden gerade aktualisiert" not in client.get(URL).content.decode()
    ProjectFactory(owner=world["konstanz"], title="Neues Projekt")
    started = []
    monkeypatch.setattr(index_module, "_may_build_in_background", lambda: True)
    monkeypatch.setattr(index_module, "_rebuild_in_background", lambda *a: started.append(a))
    response = client.get(URL)
    assert started
    assert "Empfehlungen werden gerade aktualisiert" in response.content.decode()
    assert "Konstanz" in _names(response)  # the previous suggestions are still shown


@pytest.mark.parametrize("consent", [True, False])
def test_obstacles_are_named_only_with_consent_to_be_contacted(world, consent):
    question = Question.objects.get(questionnaire__slug="homeoffice-corona", key="hindernisse")
    for name, given in (("ravensburg", True), ("konstanz", consent)):
        response = Response.objects.create(
            questionnaire=question.questionnaire,
            organization=world[name],
            status=ResponseStatus.SUBMITTED,
            consent_contact=given,
        )
        answer = Answer.objects.create(response=response, question=question)
        answer.choices.set(question.choices.filter(label="Papierakten"))
    body = client_for(_member(world["ravensburg"])).get(URL).content.decode()
    assert ("Ähnliche Hindernisse im Homeoffice: Papierakten" in body) is consent


# --- filters --------------------------------------------------------------------------------


def test_topic_filter_keeps_suggestions_with_a_reason_on_that_topic(world):
    response = client_for(_member(world["ravensburg"])).get(URL, {"thema": "eakte-dms"})
    assert _names(response) == ["Konstanz"]


def test_kind_filter_keeps_that_kind(world):
    response = client_for(_member(world["ravensburg"])).get(URL, {"art": "stadt"})
    assert _names(response) == ["Waiblingen"]


def test_distance_filter_keeps_nearby_organizations(world):
    response = client_for(_member(world["ravensburg"])).get(URL, {"entfernung": "50"})
    assert _names(response) == ["Konstanz"]


@pytest.mark.parametrize(
    "params",
    [
        {"thema": "gibt-es-nicht", "entfernung": "abc", "art": "<script>"},
        {"entfernung": "-5", "art": "partner"},
        {"entfernung": "99999999999999999999"},
        {"seite": "999"},
        {"seite": "x", "organisation": "gibt-es-nicht"},
        {"thema": "x" * 500},
    ],
)
def test_bad_filter_values_are_ignored(world, params):
    response = client_for(_member(world["ravensburg"])).get(URL, params)
    assert response.status_code == 200
    assert not response.context["filters"].is_filtered


def test_distance_filter_without_own_coordinates_explains_itself(world):
    nowhere = OrganizationFactory(name="Ohne Ort")
    ProjectFactory(owner=nowhere, topics=[Topic.objects.get(slug="eakte-dms")])
    response = client_for(_member(nowhere)).get(URL, {"entfernung": "25"})
    assert response.status_code == 200
    assert "keine Koordinaten hinterlegt" in response.content.decode()


def test_filters_that_match_nothing_explain_what_to_do(world):
    response = client_for(_member(world["ravensburg"])).get(URL, {"art": "feuerwehr"})
    assert "Keine Vorschläge passen zu diesen Filtern" in response.content.decode()


# --- hiding ---------------------------------------------------------------------------------


def _dismiss(client, world, other, **extra):
    data = {"organisation": "ravensburg", "other": world[other].pk, **extra}
    return client.post(DISMISS_URL, data)


def test_editor_hides_a_suggestion_and_it_is_gone(world):
    editor = _member(world["ravensburg"], editor=True)
    client = client_for(editor)
    response = _dismiss(client, world, "konstanz", reason=DismissalReason.NOT_INTERESTED)
    assert response.status_code == 302
    dismissal = RecommendationDismissal.objects.get()
    assert (dismissal.organization, dismissal.other) == (world["ravensburg"], world["konstanz"])
    assert dismissal.reason == DismissalReason.NOT_INTERESTED
    assert dismissal.created_by == editor
    assert AuditEntry.objects.filter(action="cooperation.recommendation.dismissed").exists()
    assert "Konstanz" not in _names(client.get(URL))
    body = client.get(DISMISSED_URL).content.decode()
    assert "Konstanz" in body and "wieder anzeigen" in body


def test_hiding_keeps_the_filters(world):
    client = client_for(_member(world["ravensburg"], editor=True))
    response = _dismiss(client, world, "konstanz", reason="partner", art="stadt", seite="2")
    assert response["Location"] == f"{URL}?organisation=ravensburg&art=stadt&seite=2"


def test_editor_shows_a_hidden_organization_again(world):
    editor = _member(world["ravensburg"], admin=True)
    RecommendationDismissal.objects.create(
        organization=world["ravensburg"], other=world["konstanz"], reason="partner"
    )
    client = client_for(editor)
    response = _dismiss(client, world, "konstanz", undo="1")
    assert response.status_code == 302
    assert not RecommendationDismissal.objects.exists()
    assert AuditEntry.objects.filter(action="cooperation.recommendation.restored").exists()
    assert "Konstanz" in _names(client.get(URL))


def test_plain_member_can_neither_hide_nor_show_again(world):
    client = client_for(_member(world["ravensburg"]))
    assert _dismiss(client, world, "konstanz", reason="partner").status_code == 403
    assert not RecommendationDismissal.objects.exists()
    RecommendationDismissal.objects.create(
        organization=world["ravensburg"], other=world["konstanz"], reason="partner"
    )
    assert _dismiss(client, world, "konstanz", undo="1").status_code == 403
    assert RecommendationDismissal.objects.count() == 1
    body = client.get(DISMISSED_URL).content.decode()
    assert "Konstanz" in body and "wieder anzeigen" not in body


def test_team_cannot_hide_for_another_organization(world, team_user):
    response = client_for(team_user).post(
        DISMISS_URL,
        {"organisation": "ravensburg", "other": world["konstanz"].pk, "reason": "partner"},
    )
    assert response.status_code == 403
    assert not RecommendationDismissal.objects.exists()


def test_non_members_cannot_hide(world):
    response = _dismiss(client_for(UserFactory()), world, "konstanz", reason="partner")
    assert response.status_code == 403


@pytest.mark.parametrize("slug", ["konstanz", "gibt-es-nicht", ""])
def test_hiding_for_an_unknown_or_foreign_organization_is_not_found(world, slug):
    client = client_for(_member(world["ravensburg"], editor=True))
    data = {"organisation": slug, "other": world["waiblingen"].pk, "reason": "partner"}
    assert client.post(DISMISS_URL, data).status_code == 404
    assert client.post(DISMISS_URL, {**data, "undo": "1"}).status_code == 404
    assert not RecommendationDismissal.objects.exists()


def test_hiding_needs_post(world):
    client = client_for(_member(world["ravensburg"], editor=True))
    assert client.get(DISMISS_URL).status_code == 405


@pytest.mark.parametrize("other", ["", "abc", "99999999", "-1"])
def test_hiding_an_unknown_organization_is_not_found(world, other):
    client = client_for(_member(world["ravensburg"], editor=True))
    response = client.post(DISMISS_URL, {"organisation": "ravensburg", "other": other})
    assert response.status_code == 404


def test_partner_companies_cannot_be_hidden_because_they_are_never_suggested(world):
    client = client_for(_member(world["ravensburg"], editor=True))
    assert _dismiss(client, world, "partner", reason="partner").status_code == 404


def test_hiding_with_unknown_reason_shows_a_message(world):
    client = client_for(_member(world["ravensburg"], editor=True))
    response = _dismiss(client, world, "konstanz", reason="weil")
    assert response.status_code == 302
    assert not RecommendationDismissal.objects.exists()
    body = client.get(response["Location"]).content.decode()
    assert "Bitte wählen Sie einen Grund" in body


def test_hiding_twice_updates_the_reason(world):
    client = client_for(_member(world["ravensburg"], editor=True))
    _dismiss(client, world, "konstanz", reason="partner")
    _dismiss(client, world, "konstanz", reason="kein_interesse")
    assert RecommendationDismissal.objects.get().reason == "kein_interesse"


# --- existing partners ----------------------------------------------------------------------


def _partners(response):
    return [partner.organization.name for partner in response.context["partners"]]


@pytest.mark.parametrize(
    "status", [ProposalStatus.OPEN, ProposalStatus.FORMING, ProposalStatus.ACTIVE]
)
def test_partners_in_a_cooperation_that_is_not_closed_are_hidden(world, status):
    proposal = ProposalFactory(
        initiator=world["konstanz"], members=[world["ravensburg"]], status=status
    )
    client = client_for(_member(world["ravensburg"]))
    assert "Konstanz" not in _names(client.get(URL))
    response = client.get(DISMISSED_URL)
    assert _partners(response) == ["Konstanz"]
    assert f'href="{proposal.get_absolute_url()}"' in response.content.decode()


def test_closed_cooperations_do_not_hide(world):
    ProposalFactory(
        initiator=world["ravensburg"], members=[world["konstanz"]], status=ProposalStatus.CLOSED
    )
    client = client_for(_member(world["ravensburg"]))
    assert "Konstanz" in _names(client.get(URL))
    assert _partners(client.get(DISMISSED_URL)) == []


@pytest.mark.parametrize("owner", ["ravensburg", "konstanz", "waiblingen"])
def test_organizations_working_on_a_joint_project_are_hidden(world, owner):
    # Ravensburg and Konstanz on one project: as owner and partner either way round, or
    # both as partners of a third organization's project.
    project = ProjectFactory(owner=world[owner], title="Gemeinsames Rechenzentrum")
    project.partners.add(*[world[name] for name in ("ravensburg", "konstanz") if name != owner])
    client = client_for(_member(world["ravensburg"]))
    names = _names(client.get(URL))
    assert "Konstanz" not in names
    response = client.get(DISMISSED_URL)
    assert "Konstanz" in _partners(response)
    body = response.content.decode()
    assert "Gemeinsames Projekt" in body and f'href="{project.get_absolute_url()}"' in body


def test_partner_companies_on_a_joint_project_are_not_listed_as_hidden(world):
    project = ProjectFactory(owner=world["ravensburg"])
    project.partners.add(world["partner"])
    response = client_for(_member(world["ravensburg"])).get(DISMISSED_URL)
    assert _partners(response) == []


# --- cost -----------------------------------------------------------------------------------


def _grow(world, count):
    eakte = Topic.objects.get(slug="eakte-dms")
    for number in range(count):
        town = OrganizationFactory(
            latitude=Decimal("47.7") + Decimal(number) / 100, longitude=Decimal("9.3")
        )
        ProjectFactory(owner=town, title=f"eAkte {number}", topics=[eakte])
        ProjectFactory(owner=town, title=f"Parken {number}", status="umgesetzt")


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_data(world, count, django_assert_max_num_queries):
    _grow(world, count)
    client = client_for(_member(world["ravensburg"], editor=True))
    client.get(URL)  # builds the index
    with django_assert_max_num_queries(24):
        response = client.get(URL, {"thema": "eakte-dms"})
    assert len(response.context["items"]) >= min(count, PAGE_SIZE)
