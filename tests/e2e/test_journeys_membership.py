"""Browser journey to membership, in the German and the English interface: a person signs up,
confirms the address by the link in the e-mail, applies to represent their town; a team
member approves the application on the team's page; the person then belongs to the town.

Every step is kept as a screenshot under ``test-results/`` and checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from initiativek.organizations.models import Membership, MembershipApplication
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import (
    JOURNEY_LANGUAGES,
    axe_violations,
    link_in_mail,
    screenshot,
    sign_in,
    switch_language,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The English texts are the msgstr of the English catalogue (and allauth's English texts).
TEXT = {
    "de": {
        "sign_up": "Registrieren",
        "name": "Vor- und Nachname",
        "function": "Funktion – optional",
        "email": "E-Mail-Adresse",
        "password": "Passwort",
        "password_again": "Passwort (Wiederholung)",
        "confirm": "Bestätigen",
        "welcome": "Willkommen, Carla Beispiel",
        "apply": "Mitgliedschaft beantragen",
        "search_label": "Name Ihrer Organisation oder Gemeindeschlüssel",
        "search": "Suchen",
        "represent": "Konstanz vertreten",
        "applicant_function": "Ihre Funktion in der Organisation",
        "message": "Nachricht an das Team – optional",
        "send": "Antrag senden",
        "received": "Ihr Antrag ist eingegangen.",
        "my_applications": "Meine Anträge",
        "pending": "in Prüfung",
        "team": "Team",
        "applications": "Mitgliedschaftsanträge",
        "application_for": "Antrag für Konstanz",
        "accept": "annehmen",
        "decide": "Entscheidung speichern und mitteilen",
        "decided": "Die Entscheidung wurde gespeichert und mitgeteilt.",
        "none_left": "Keine Anträge in dieser Ansicht.",
        "my_organizations": "Meine Organisationen",
        "role": "Ihre Rolle: Mitglied",
        "approved": "angenommen",
    },
    "en": {
        "sign_up": "Sign up",
        "name": "First and last name",
        "function": "Position – optional",
        "email": "Email",
        "password": "Password",
        "password_again": "Password (again)",
        "confirm": "Confirm",
        "welcome": "Welcome, Carla Beispiel",
        "apply": "Apply for membership",
        "search_label": "Name of your organisation or municipality key",
        "search": "Search",
        "represent": "Represent Konstanz",
        "applicant_function": "Your position in the organisation",
        "message": "Message to the team – optional",
        "send": "Submit application",
        "received": "Your application has been received.",
        "my_applications": "My applications",
        "pending": "under review",
        "team": "Team",
        "applications": "Membership applications",
        "application_for": "Application for Konstanz",
        "accept": "accept",
        "decide": "Save and send decision",
        "decided": "The decision has been saved and communicated.",
        "none_left": "No applications in this view.",
        "my_organizations": "My organisations",
        "role": "Your role: Member",
        "approved": "accepted",
    },
}


def _sign_up(page, text: dict, outbox, journey: str | None = None) -> None:
    """Fill in the sign-up form and confirm the address by the link in the e-mail; with a
    ``journey``, each page is checked with axe-core and kept as a screenshot."""
    page.get_by_role("link", name=text["sign_up"], exact=True).click()
    page.get_by_label(text["name"]).fill("Carla Beispiel")
    page.get_by_label(text["function"]).fill("Digitalisierungsbeauftragte")
    page.get_by_label(text["email"], exact=True).fill("carla@example.org")
    page.get_by_label(text["password"], exact=True).fill(PASSWORD)
    page.get_by_label(text["password_again"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=text["sign_up"]).click()
    expect(page.get_by_role("status")).to_contain_text("carla@example.org")
    if journey:
        assert axe_violations(page) == []
        screenshot(page, journey, "1-mail-verschickt")
    [mail] = outbox
    assert mail.to == ["carla@example.org"]
    page.goto(link_in_mail(mail, "/konto/confirm-email/"))
    if journey:
        assert axe_violations(page) == []
        screenshot(page, journey, "2-adresse-bestaetigen")
    page.get_by_role("button", name=text["confirm"], exact=True).click()


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_a_person_signs_up_applies_for_membership_and_the_team_approves(
    page, open_page, outbox, lang
):
    text = TEXT[lang]
    journey = f"mitgliedschaft-{lang}"
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz", kind="grosse_kreisstadt")
    MembershipFactory(organization=konstanz, admin=True)
    team = UserFactory(is_staff=True, name="Tara Team")
    switch_language(page, lang)

    _sign_up(page, text, outbox, journey)
    expect(page.get_by_role("heading", level=1)).to_have_text(text["welcome"])
    assert axe_violations(page) == []
    screenshot(page, journey, "3-registriert")

    page.get_by_role("link", name=text["apply"]).click()
    page.get_by_label(text["search_label"]).fill("Konstanz")
    page.get_by_role("button", name=text["search"]).click()
    assert axe_violations(page) == []
    screenshot(page, journey, "4-suche")
    page.get_by_role("link", name=text["represent"]).click()
    expect(page.get_by_label(text["applicant_function"])).to_have_value(
        "Digitalisierungsbeauftragte"
    )
    page.get_by_label(text["message"]).fill("Wir möchten Projekte teilen.")
    assert axe_violations(page) == []
    screenshot(page, journey, "5-antrag")
    page.get_by_role("button", name=text["send"]).click()
    expect(page.get_by_role("status")).to_contain_text(text["received"])
    applications = page.get_by_role("region", name=text["my_applications"], exact=True)
    expect(applications).to_contain_text(text["pending"])
    screenshot(page, journey, "6-eingereicht")

    team_page = open_page(lang)
    sign_in(team_page, team, lang)
    team_page.get_by_role("link", name=text["team"], exact=True).click()
    expect(team_page.get_by_role("heading", level=1)).to_have_text(text["applications"])
    row = team_page.get_by_role("row").filter(has_text="Carla Beispiel")
    assert axe_violations(team_page) == []
    screenshot(team_page, journey, "7-team-antraege")
    row.get_by_role("link", name="Konstanz").click()
    expect(team_page.get_by_role("heading", level=1)).to_have_text(text["application_for"])
    expect(team_page.locator("main")).to_contain_text("Wir möchten Projekte teilen.")
    team_page.get_by_label(text["accept"], exact=True).check()
    assert axe_violations(team_page) == []
    screenshot(team_page, journey, "8-team-entscheidung")
    team_page.get_by_role("button", name=text["decide"]).click()
    expect(team_page.get_by_role("status")).to_contain_text(text["decided"])
    expect(team_page.locator("main")).to_contain_text(text["none_left"])

    page.reload()
    organizations = page.get_by_role("region", name=text["my_organizations"], exact=True)
    expect(organizations.get_by_role("link", name="Konstanz")).to_be_visible()
    expect(organizations).to_contain_text(text["role"])
    expect(applications).to_contain_text(text["approved"])
    assert axe_violations(page) == []
    screenshot(page, journey, "9-mitglied")

    membership = Membership.objects.get(user__email="carla@example.org")
    assert (membership.organization, membership.role) == (konstanz, "member")
    assert MembershipApplication.objects.get().decided_by == team
    # The platform's mails are in German (a person's language is not stored).
    [approval] = [message for message in outbox if "angenommen" in message.subject]
    assert approval.to == ["carla@example.org"]
    assert "Konstanz" in approval.subject


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_the_sign_up_mail_names_the_platform(page, outbox, lang):
    switch_language(page, lang)
    _sign_up(page, TEXT[lang], outbox)
    [mail] = outbox
    assert " von !" not in mail.body and " from !" not in mail.body
    assert "Initiative K" in mail.body


# Informal German ("du", "dein", "dir", "dich") where the platform addresses people as "Sie".
INFORMAL = re.compile(r"\b(du|dein\w*|dir|dich)\b", re.IGNORECASE)


def test_sign_up_pages_and_mail_address_the_person_formally(page, outbox):
    text = TEXT["de"]
    seen = []
    page.goto("/")
    page.get_by_role("link", name=text["sign_up"], exact=True).click()
    page.get_by_label(text["name"]).fill("Carla Beispiel")
    page.get_by_label(text["email"], exact=True).fill("carla@example.org")
    page.get_by_label(text["password"], exact=True).fill(PASSWORD)
    page.get_by_label(text["password_again"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=text["sign_up"]).click()
    expect(page.get_by_role("status")).to_contain_text("carla@example.org")
    seen.append(page.locator("main").inner_text())
    [mail] = outbox
    seen += [mail.subject, mail.body]
    page.goto(link_in_mail(mail, "/konto/confirm-email/"))
    seen.append(page.locator("main").inner_text())
    page.get_by_role("button", name=text["confirm"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["welcome"])
    seen.append(page.locator("main").inner_text())
    assert [INFORMAL.findall(part) for part in seen] == [[]] * len(seen)
