"""The results page: access, threshold, own answer, group selector, contacts, query count."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys.models import Questionnaire
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import QuestionnaireFactory
from tests.surveys.test_results import Survey, build_survey

HIDDEN = (
    "Aus Datenschutzgründen nicht einzeln ausgewiesen: weniger als 3 Antworten – oder "
    "ausgeblendet, damit sich kleine Gruppen nicht herausrechnen lassen"
)
DRAFT = "Entwurf – noch nicht abgeschickt und nicht in den Ergebnissen enthalten"


@pytest.fixture
def survey(db):
    return build_survey()


def _url(questionnaire, **params):
    url = reverse("surveys:results", kwargs={"slug": questionnaire.slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _member_of(organization, **kwargs):
    return client_for(MembershipFactory(organization=organization, **kwargs).user)


def _page(client, questionnaire, **params):
    response = client.get(_url(questionnaire, **params))
    assert response.status_code == 200
    return response.content.decode()


def _two_more_in_081(survey):
    """Bezirk 081 (only Bbach) gets to three responses, so showing Bezirk 084 no longer gives
    Bbach's answers away as "all minus 084". Both answer "Cloud", yes and 3 on the scale."""
    for name, ags in (("Ebach", "08111001"), ("Fdorf", "08111002")):
        organization = OrganizationFactory(name=name, population=30_000, ags=ags)
        survey.respond(organization, single="Cloud", yes=True, scale=3)


def _section(html, key):
    """The HTML of one question's section."""
    match = re.search(
        rf'<section class="results-question" id="frage-{key}".*?</section>', html, re.S
    )
    assert match, key
    return match.group(0)


# --- Access ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    response = client.get(_url(survey.questionnaire))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_signed_in_non_members_get_a_clear_403(user, survey):
    response = client_for(user).get(_url(survey.questionnaire))

    assert response.status_code == 403
    assert "Ergebnisse nur für Mitglieder" in response.content.decode()


def test_people_of_partner_companies_get_403(survey):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)

    assert _member_of(partner).get(_url(survey.questionnaire)).status_code == 403


def test_members_see_the_results(survey):
    html = _page(_member_of(OrganizationFactory()), survey.questionnaire)

    assert "4 Organisationen haben ihren Antwortbogen abgeschickt." in html


def test_the_team_sees_the_results_without_own_answer(team_user, survey):
    html = _page(client_for(team_user), survey.questionnaire)

    assert "Hervorgehoben" not in html
    assert "Ihre Antwort" not in html


def test_draft_questionnaires_are_404_for_members_and_visible_to_the_team(team_user, db):
    questionnaire = QuestionnaireFactory(draft=True)

    assert _member_of(OrganizationFactory()).get(_url(questionnaire)).status_code == 404
    assert client_for(team_user).get(_url(questionnaire)).status_code == 200


def test_unknown_questionnaire_is_404(db):
    response = _member_of(OrganizationFactory()).get(
        "/erfahrungsaustausch/gibt-es-nicht/ergebnisse/"
    )

    assert response.status_code == 404


# --- Figures and threshold ---------------------------------------------------------------


def test_shares_are_formatted_in_german(survey):
    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "anteil")

    assert "66,3\u00a0%" in html  # mean of 20, 55, 90, 100: 66,25 rounded half up
    assert "72,5\u00a0%" in html  # median


def test_multiple_choice_says_shares_exceed_100_percent(survey):
    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "geraete")

    assert "nicht 100" in html
    assert "33,3\u00a0%" in html


def test_scale_shows_its_end_labels(survey):
    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "belastung")

    assert "Skala von 1 (gar nicht) bis 5 (sehr stark)" in html
    assert "5 – sehr stark" in html


def test_below_threshold_the_page_says_when_results_appear(db):
    s = Survey()
    s.respond(OrganizationFactory(), yes=True)
    s.respond(OrganizationFactory(), yes=True)

    html = _page(_member_of(OrganizationFactory()), s.questionnaire)

    assert "Ergebnisse erscheinen ab 3 abgeschickten Antworten." in html
    assert 'id="frage-' not in html


def test_small_group_is_not_shown_on_its_own(survey):
    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, gruppe="groesse-50000")

    assert "Die Diagramme zeigen: 50.000 bis unter 100.000 Einwohner." in html
    assert HIDDEN in html
    assert "<svg" not in html


def test_question_answered_by_too_few_in_a_group_is_hidden(survey):
    # Bezirk 084 has three responses, but only two answered the multiple-choice question.
    _two_more_in_081(survey)
    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, gruppe="bezirk-084")

    assert HIDDEN not in _section(html, "belastung")
    assert HIDDEN in _section(html, "geraete")


def test_threshold_follows_the_setting(survey, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 2

    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, gruppe="groesse-50000")

    assert "Weniger als 2 Antworten" not in _section(html, "belastung")
    assert "<svg" in html


def test_raised_threshold_hides_the_whole_questionnaire(survey, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 5

    html = _page(_member_of(OrganizationFactory()), survey.questionnaire)

    assert "Ergebnisse erscheinen ab 5 abgeschickten Antworten." in html


@pytest.mark.parametrize(
    "value", ["", "unbekannt", "groesse-7", "bezirk-999", "groesse-", "x" * 300]
)
def test_unknown_group_values_fall_back_to_all(survey, value):
    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, gruppe=value)

    assert "Die Diagramme zeigen: alle Organisationen." in html


def test_group_selector_names_regierungsbezirke_from_regions(survey):
    from tests.organizations.factories import RegionFactory

    RegionFactory(key="084", level="regierungsbezirk", name="Tübingen")
    _two_more_in_081(survey)

    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, gruppe="bezirk-084")

    assert "Die Diagramme zeigen: Regierungsbezirk Tübingen." in html
    assert "Regierungsbezirk Tübingen (3 Antworten)" in html
    assert "Regierungsbezirk 081 (3 Antworten)" in html


def test_retired_questions_are_marked(survey):
    survey.scale.is_retired = True
    survey.scale.save()

    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "belastung")

    assert "nicht mehr gefragt" in html
    assert "<svg" in html


# --- Own answer ----------------------------------------------------------------------------


def test_own_answer_is_highlighted_in_chart_and_table(survey):
    html = _section(_page(_member_of(survey.orgs["aach"]), survey.questionnaire), "zugang")

    assert "<strong>Ihre Antwort:</strong> VPN" in html
    assert re.search(r'<tspan class="results-chart__own-label">Ihre Antwort: </tspan>VPN', html)
    assert 'class="results-chart__own"' in html
    assert re.search(r"VPN <strong class=\"results-own-marker\">\(Ihre Antwort\)</strong>", html)


def test_own_answer_compared_with_all_size_class_and_bezirk(survey):
    _two_more_in_081(survey)
    html = _section(_page(_member_of(survey.orgs["aach"]), survey.questionnaire), "zugang")

    comparison = re.search(
        r'<table class="kern-table kern-table--small results-comparison">.*?</table>', html, re.S
    ).group(0)
    cells = [
        re.sub(r"[ \n]+", " ", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", comparison, re.S)
    ]
    assert cells[1:4] == [
        "alle Organisationen",
        "Ihre Größenklasse: unter 5.000 Einwohner",
        "Regierungsbezirk 084",
    ]
    # Anteil „VPN“: all 2 of 6; size class (1 response) too small; Bezirk 084: 2 of 3
    vpn_row = cells[cells.index("Anteil „VPN“") :][:4]
    assert vpn_row == ["Anteil „VPN“", "33,3\u00a0%", "nicht ausgewiesen", "66,7\u00a0%"]
    assert HIDDEN in html  # what "nicht ausgewiesen" means


def test_own_draft_is_shown_marked_and_not_counted(survey):
    html = _page(_member_of(survey.orgs["draft"]), survey.questionnaire)

    assert DRAFT in html
    assert "4 Organisationen haben" in html
    assert "999" in _section(html, "anzahl")  # the own draft value, not in the figures


def test_people_of_several_organizations_choose_whose_answer(survey):
    user = MembershipFactory(organization=survey.orgs["aach"]).user
    MembershipFactory(organization=survey.orgs["bbach"], user=user)
    client = client_for(user)

    first = _section(_page(client, survey.questionnaire), "zugang")
    chosen = _section(_page(client, survey.questionnaire, organisation="bbach"), "zugang")
    unknown = _section(_page(client, survey.questionnaire, organisation="fremd"), "zugang")

    assert "<strong>Ihre Antwort:</strong> VPN" in first
    assert "<strong>Ihre Antwort:</strong> VDI" in chosen
    assert "<strong>Ihre Antwort:</strong> VPN" in unknown


def test_answers_of_organizations_one_doesnt_belong_to_are_never_highlighted(survey):
    html = _page(_member_of(OrganizationFactory()), survey.questionnaire, organisation="aach")

    assert "Ihre Antwort:" not in html


# --- Texts and contacts --------------------------------------------------------------------


def test_free_text_names_only_consenting_organizations(survey):
    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "lehren")

    assert "Mehr Laptops kaufen" in html and ">Aach</a>" in html
    assert "Früher VPN ausbauen" in html and "ohne Namensnennung" in html
    assert "Bbach" not in html


def test_who_answered_like_this_links_consenting_organizations(survey):
    html = _section(_page(_member_of(OrganizationFactory()), survey.questionnaire), "zugang")

    contacts = re.search(r'<details class="results-contacts".*?</details>', html, re.S).group(0)
    assert f'href="{survey.orgs["aach"].get_absolute_url()}"' in contacts
    assert f'href="{survey.orgs["cstadt"].get_absolute_url()}"' in contacts
    assert "Bbach" not in contacts


def test_demo_data_is_announced(survey):
    survey.questionnaire.responses.update(is_demo=True)

    html = _page(_member_of(OrganizationFactory()), survey.questionnaire)

    assert "Die Ergebnisse enthalten Demodaten" in html


def test_question_page_shows_all_texts_paginated(db):
    s = Survey()
    for index in range(60):
        s.respond(OrganizationFactory(), text=f"Erfahrung {index:02d}")
    client = _member_of(OrganizationFactory())

    overview = _section(_page(client, s.questionnaire), "lehren")
    first = _page(client, s.questionnaire, frage="lehren")
    second = _page(client, s.questionnaire, frage="lehren", seite=2)

    assert overview.count("results-texts__item") == 20
    assert "Alle 60 Antworten lesen" in overview
    assert first.count("results-texts__item") == 50
    assert second.count("results-texts__item") == 10
    assert "Erfahrung 59" in second


def test_question_page_of_unknown_question_is_404(survey):
    client = _member_of(OrganizationFactory())

    assert client.get(_url(survey.questionnaire, frage="gibt-es-nicht")).status_code == 404


def test_question_page_lists_all_contacts(db):
    s = Survey()
    for index in range(8):
        s.respond(OrganizationFactory(name=f"Ort {index}"), yes=True, consent_contact=True)
    client = _member_of(OrganizationFactory())

    overview = _section(_page(client, s.questionnaire), "eakte")
    page = _page(client, s.questionnaire, frage="eakte")

    assert "alle 8 anzeigen" in overview and "Ort 7" not in overview
    assert "Ort 7" in page


# --- Charts are accessible -----------------------------------------------------------------


def test_charts_have_a_text_alternative_and_a_table(survey):
    html = _section(_page(_member_of(survey.orgs["aach"]), survey.questionnaire), "eakte")

    assert 'role="img"' in html
    description = (
        "alle Organisationen, 4 Antworten. Ja: 3 (75,0\u00a0%); Nein: 1 (25,0\u00a0%). "
        "Ihre Antwort: Ja"
    )
    assert f'<desc id="diagramm-eakte-text">{description}</desc>' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


# --- Performance ---------------------------------------------------------------------------


def _add_responses(survey, indices):
    for index in indices:
        town = OrganizationFactory(population=1000 * index, ags=f"0841{index:04d}")
        werke = OrganizationFactory(kind=OrganizationKind.STADTWERKE, parent=town)
        for organization in (town, werke):
            survey.respond(
                organization,
                single="VPN" if index % 2 else "VDI",
                multiple=["Laptop", "Tablet"],
                yes=bool(index % 2),
                scale=1 + index % 5,
                number=index,
                percent=index % 100,
                text=f"Text {index}",
                other="",
                consent_contact=True,
                consent_named_text=bool(index % 3),
            )


def _cold_request(client, questionnaire):
    cache.clear()
    assert client.get(_url(questionnaire)).status_code == 200
    assert client.get(_url(questionnaire, frage="lehren")).status_code == 200


def test_query_count_does_not_grow_with_responses(db, django_assert_max_num_queries):
    s = Survey()
    client = _member_of(OrganizationFactory(population=9000, ags="08111000"))
    _add_responses(s, range(3))
    with CaptureQueriesContext(connection) as few:
        _cold_request(client, s.questionnaire)

    _add_responses(s, range(3, 43))

    with django_assert_max_num_queries(len(few)):
        _cold_request(client, s.questionnaire)


def test_cached_results_need_few_queries(survey, django_assert_max_num_queries):
    client = _member_of(survey.orgs["aach"])
    client.get(_url(survey.questionnaire))

    with django_assert_max_num_queries(15):
        client.get(_url(survey.questionnaire))


def test_a_new_results_version_recomputes(survey):
    client = _member_of(OrganizationFactory())
    assert "4 Organisationen haben" in _page(client, survey.questionnaire)
    survey.respond(OrganizationFactory(), yes=True)

    still_cached = _page(client, survey.questionnaire)
    Questionnaire.objects.filter(pk=survey.questionnaire.pk).update(results_version=1)

    assert "4 Organisationen haben" in still_cached
    assert "5 Organisationen haben" in _page(client, survey.questionnaire)
