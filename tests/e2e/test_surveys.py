"""Browser journey through the experience exchange: an editor fills in the questionnaire
(with a mistake on the way), submits it and compares the results; the team's pages. Every
page is checked with axe-core."""

from decimal import Decimal

import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def questionnaire():
    questionnaire = QuestionnaireFactory(title="Homeoffice in der Krise", slug="homeoffice")
    section = SectionFactory(questionnaire=questionnaire, title="Technik")
    share = QuestionFactory(
        questionnaire=questionnaire,
        section=section,
        key="anteil",
        text="Welcher Anteil konnte im Homeoffice arbeiten?",
        kind="percentage",
        required=True,
    )
    access = QuestionFactory(
        questionnaire=questionnaire,
        section=section,
        key="zugang",
        text="Wie griffen Beschäftigte zu?",
        kind="single",
        choices=["VPN", "VDI", "Cloud"],
    )
    QuestionFactory(
        questionnaire=questionnaire,
        section=section,
        key="lehren",
        text="Was haben Sie gelernt?",
        kind="text",
    )
    vpn = access.choices.get(label="VPN")
    towns = (
        ("Konstanz", 30, "08335043"),
        ("Herrenberg", 50, "08115021"),
        ("Waiblingen", 70, "08119079"),
    )
    for name, value, ags in towns:
        organization = OrganizationFactory(name=name, population=60_000, ags=ags)
        response = ResponseFactory(
            questionnaire=questionnaire,
            organization=organization,
            submitted=True,
            consent_contact=True,
        )
        AnswerFactory(response=response, question=share, number_value=Decimal(value))
        AnswerFactory(response=response, question=access, choices=[vpn])
    return questionnaire


def sign_in(page, user):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_an_editor_answers_submits_and_compares(page, questionnaire):
    town = OrganizationFactory(name="Ravensburg", slug="ravensburg", population=50_000)
    editor = MembershipFactory(organization=town, editor=True).user
    sign_in(page, editor)
    page.goto("/erfahrungsaustausch/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Jetzt beantworten").first.click()
    assert axe_violations(page) == []

    page.get_by_label("Welcher Anteil konnte im Homeoffice arbeiten?").fill("140")
    page.get_by_label("Was haben Sie gelernt?").fill("Gute Headsets sind wichtig.")
    page.get_by_role("button", name="Entwurf speichern").click()
    assert "Bitte geben Sie einen Wert von 0 bis 100 an." in page.content()
    # What was typed is still there, the valid answer is stored.
    assert page.get_by_label("Welcher Anteil konnte im Homeoffice arbeiten?").input_value() == (
        "140"
    )
    assert axe_violations(page) == []

    page.get_by_label("Welcher Anteil konnte im Homeoffice arbeiten?").fill("45")
    page.get_by_label("VPN").check()
    page.get_by_label("Andere Mitglieder dürfen uns zu unseren Antworten ansprechen").check()
    page.get_by_role("button", name="Abschicken").click()
    assert "Ihr Antwortbogen ist abgeschickt" in page.content()

    page.get_by_role("link", name="Ergebnisse ansehen").first.click()
    content = page.content()
    assert "Ihre Antwort" in content
    assert "45 %" in content
    assert axe_violations(page) == []


def test_team_pages_have_no_axe_violations(page, questionnaire):
    team = UserFactory(is_staff=True)
    sign_in(page, team)
    for path in (
        "/erfahrungsaustausch/homeoffice/bearbeiten/",
        "/erfahrungsaustausch/homeoffice/fragen/neu/",
        "/erfahrungsaustausch/homeoffice/fortschritt/",
        "/erfahrungsaustausch/homeoffice/vorschau/",
        "/erfahrungsaustausch/neu/",
    ):
        page.goto(path)
        assert axe_violations(page) == [], path
