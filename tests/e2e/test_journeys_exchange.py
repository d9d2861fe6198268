"""Browser journeys through the exchange between members, in the German and the English
interface:

- an editor sees recommended partners (with the reasons) and proposes a cooperation;
- an organization fills in and submits the questionnaire and sees its own answers among the
  results.

Every step is kept as a screenshot under ``test-results/`` and checked with axe-core."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from initiativek.cooperation.models import CooperationProposal
from initiativek.core.models import Topic
from initiativek.surveys.models import Response
from tests.e2e.conftest import (
    JOURNEY_LANGUAGES,
    axe_violations,
    screenshot,
    sign_in,
    switch_language,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The English texts are the msgstr of the English catalogue.
COOPERATION_TEXT = {
    "de": {
        "main_navigation": "Hauptnavigation",
        "cooperation": "Kooperation",
        "find_partners": "Passende Partner finden",
        "recommendations": "Passende Partner für Kooperationen",
        "why": "Warum das passt:",
        "propose": "Kooperation vorschlagen",
        "title": "Titel",
        "summary": "Kurzbeschreibung",
        "publish": "Vorschlag veröffentlichen",
        "proposal_by": "Vorschlag von Ravensburg.",
        "participants": "Beteiligte Organisationen",
    },
    "en": {
        "main_navigation": "Main navigation",
        "cooperation": "Cooperation",
        "find_partners": "Find suitable partners",
        "recommendations": "Suitable partners for cooperation",
        "why": "Why this is a good match:",
        "propose": "Propose cooperation",
        "title": "Title",
        "summary": "Summary",
        "publish": "Publish proposal",
        "proposal_by": "Proposal by Ravensburg.",
        "participants": "Participating organisations",
    },
}


@pytest.fixture
def towns():
    """Ravensburg plans parking sensors; Villingen-Schwenningen has done it and offers reuse."""
    parking = Topic.objects.get_or_create(slug="mobilitaet-parken", defaults={"name": "Parken"})[0]
    ravensburg = OrganizationFactory(
        name="Ravensburg",
        slug="ravensburg",
        kind="grosse_kreisstadt",
        ags="08436064",
        population=51_000,
        latitude=Decimal("47.7819"),
        longitude=Decimal("9.6114"),
    )
    villingen = OrganizationFactory(
        name="Villingen-Schwenningen",
        slug="villingen-schwenningen",
        kind="grosse_kreisstadt",
        ags="08326074",
        population=88_000,
        latitude=Decimal("48.0620"),
        longitude=Decimal("8.4940"),
    )
    ProjectFactory(
        owner=ravensburg,
        title="Parkleitsystem mit Sensoren",
        summary="Freie Parkplätze in der Innenstadt per Sensor erfassen.",
        topics=[parking],
    )
    ProjectFactory(
        owner=villingen,
        title="Smart Parking",
        summary="Sensoren erfassen freie Parkplätze in der Innenstadt.",
        topics=[parking],
        done=True,
        reuse_offered=True,
    )
    return ravensburg, villingen


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_a_member_sees_recommendations_and_proposes_a_cooperation(page, towns, lang):
    text = COOPERATION_TEXT[lang]
    journey = f"kooperation-{lang}"
    ravensburg, _villingen = towns
    editor = MembershipFactory(organization=ravensburg, editor=True).user
    switch_language(page, lang)
    sign_in(page, editor, lang)

    navigation = page.get_by_role("navigation", name=text["main_navigation"])
    navigation.get_by_role("link", name=text["cooperation"], exact=True).click()
    page.get_by_role("link", name=text["find_partners"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["recommendations"])
    suggestion = page.locator("#vorschlag-villingen-schwenningen")
    expect(suggestion.get_by_role("heading", name="Villingen-Schwenningen")).to_be_visible()
    expect(suggestion).to_contain_text(text["why"])
    expect(suggestion.get_by_role("link", name="Smart Parking").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, journey, "1-empfehlungen")

    suggestion.get_by_role("link", name=text["propose"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["propose"])
    expect(page.locator("main")).to_contain_text(text["proposal_by"])
    page.get_by_label(text["title"], exact=True).fill("Gemeinsames Parkleitsystem")
    page.get_by_label(text["summary"], exact=True).fill("Wir führen Smart Parking gemeinsam ein.")
    assert axe_violations(page) == []
    screenshot(page, journey, "2-vorschlag")
    page.get_by_role("button", name=text["publish"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeinsames Parkleitsystem")
    expect(page.get_by_role("heading", name=text["participants"])).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, journey, "3-veroeffentlicht")
    proposal = CooperationProposal.objects.get()
    assert (proposal.title, proposal.initiator) == ("Gemeinsames Parkleitsystem", ravensburg)
    assert page.url.endswith(proposal.get_absolute_url())

    navigation.get_by_role("link", name=text["cooperation"], exact=True).click()
    expect(page.get_by_role("link", name="Gemeinsames Parkleitsystem")).to_be_visible()
    screenshot(page, journey, "4-boerse")


def test_recommendation_reasons_in_english_use_english_quotation_marks(page, towns):
    ravensburg, _villingen = towns
    switch_language(page, "en")
    sign_in(page, MembershipFactory(organization=ravensburg, editor=True).user, "en")
    page.goto("/kooperation/empfehlungen/")
    suggestion = page.locator("#vorschlag-villingen-schwenningen")
    expect(suggestion).to_contain_text("Smart Parking")
    reasons = suggestion.locator("ul").first.inner_text()
    assert "‘Smart Parking’" in reasons
    assert not {"‚", "„"} & set(reasons)


SURVEY_TEXT = {
    "de": {
        "main_navigation": "Hauptnavigation",
        "exchange": "Erfahrungsaustausch",
        "answer_now": "Jetzt beantworten",
        "save_draft": "Entwurf speichern",
        "out_of_range": "Bitte geben Sie einen Wert von 0 bis 100 an.",
        "contact_consent": "Andere Mitglieder dürfen uns zu unseren Antworten ansprechen",
        "submit": "Abschicken",
        "submitted": "Vielen Dank! Ihr Antwortbogen ist abgeschickt.",
        "results": "Ergebnisse ansehen",
        "your_answer": "Ihre Antwort:",
    },
    "en": {
        "main_navigation": "Main navigation",
        "exchange": "Experience exchange",
        "answer_now": "Answer now",
        "save_draft": "Save draft",
        "out_of_range": "Please enter a value from 0 to 100.",
        "contact_consent": "Other members may contact us about our answers",
        "submit": "Submit",
        "submitted": "Thank you! Your response has been submitted.",
        "results": "View results",
        "your_answer": "Your answer:",
    },
}
SHARE = "Welcher Anteil konnte im Homeoffice arbeiten?"
ACCESS = "Wie griffen Beschäftigte zu?"
LESSONS = "Was haben Sie gelernt?"


@pytest.fixture
def questionnaire():
    """An open questionnaire that three other towns have answered already."""
    questionnaire = QuestionnaireFactory(title="Homeoffice in der Krise", slug="homeoffice")
    section = SectionFactory(questionnaire=questionnaire, title="Technik")
    share = QuestionFactory(
        questionnaire=questionnaire,
        section=section,
        key="anteil",
        text=SHARE,
        kind="percentage",
        required=True,
    )
    access = QuestionFactory(
        questionnaire=questionnaire,
        section=section,
        key="zugang",
        text=ACCESS,
        kind="single",
        choices=["VPN", "VDI", "Cloud"],
    )
    QuestionFactory(
        questionnaire=questionnaire, section=section, key="lehren", text=LESSONS, kind="text"
    )
    vpn = access.choices.get(label="VPN")
    for name, value, ags in (
        ("Konstanz", 30, "08335043"),
        ("Herrenberg", 50, "08115021"),
        ("Waiblingen", 70, "08119079"),
    ):
        organization = OrganizationFactory(name=name, population=60_000, ags=ags)
        response = ResponseFactory(
            questionnaire=questionnaire, organization=organization, submitted=True
        )
        AnswerFactory(response=response, question=share, number_value=Decimal(value))
        AnswerFactory(response=response, question=access, choices=[vpn])
    return questionnaire


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_an_organization_submits_the_questionnaire_and_sees_its_answers_in_the_results(
    page, questionnaire, lang
):
    text = SURVEY_TEXT[lang]
    journey = f"fragebogen-{lang}"
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg", population=50_000)
    editor = MembershipFactory(organization=ravensburg, editor=True).user
    switch_language(page, lang)
    sign_in(page, editor, lang)

    navigation = page.get_by_role("navigation", name=text["main_navigation"])
    navigation.get_by_role("link", name=text["exchange"], exact=True).click()
    expect(page.get_by_role("link", name=questionnaire.title).first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, journey, "1-frageboegen")
    page.get_by_role("link", name=text["answer_now"]).first.click()
    expect(page.get_by_label(SHARE)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label(SHARE).fill("140")
    page.get_by_label(LESSONS).fill("Gute Headsets sind wichtig.")
    page.get_by_role("button", name=text["save_draft"]).click()
    expect(page.locator("main")).to_contain_text(text["out_of_range"])
    expect(page.get_by_label(SHARE)).to_have_value("140")
    assert axe_violations(page) == []
    screenshot(page, journey, "2-fehler")

    page.get_by_label(SHARE).fill("45")
    page.get_by_label("VPN", exact=True).check()
    page.get_by_label(text["contact_consent"]).check()
    screenshot(page, journey, "3-ausgefuellt")
    page.get_by_role("button", name=text["submit"], exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(text["submitted"])
    response = Response.objects.get(organization=ravensburg)
    assert (response.status, response.consent_contact) == ("submitted", True)
    screenshot(page, journey, "4-abgeschickt")

    page.get_by_role("link", name=text["results"]).first.click()
    share = page.get_by_role("region", name=SHARE)
    expect(share.locator(".results-own")).to_have_text(f"{text['your_answer']} 45 %")
    access = page.get_by_role("region", name=ACCESS)
    expect(access.locator(".results-own")).to_have_text(f"{text['your_answer']} VPN")
    lessons = page.get_by_role("region", name=LESSONS)
    expect(lessons.locator(".results-own")).to_contain_text("Gute Headsets sind wichtig.")
    assert axe_violations(page) == []
    screenshot(page, journey, "5-ergebnisse")
