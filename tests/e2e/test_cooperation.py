"""Browser journey through the cooperation exchange: an editor sees why a partner is
recommended, proposes a cooperation, another town asks to join and is accepted, the
notification arrives. Every page is checked with axe-core."""

from decimal import Decimal

import pytest

from initiativek.core.models import Topic
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import axe_violations
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


@pytest.fixture
def towns():
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


def test_an_editor_proposes_a_cooperation_and_accepts_a_partner(page, browser, towns, live_server):
    ravensburg, villingen = towns
    editor = MembershipFactory(organization=ravensburg, editor=True).user
    partner_editor = MembershipFactory(organization=villingen, editor=True).user
    sign_in(page, editor)

    page.goto("/kooperation/empfehlungen/")
    suggestion = page.locator("#vorschlag-villingen-schwenningen")
    assert "Smart Parking" in suggestion.inner_text()
    assert axe_violations(page) == []

    suggestion.get_by_role("link", name="Kooperation vorschlagen").click()
    page.get_by_label("Titel").fill("Gemeinsames Parkleitsystem")
    page.get_by_label("Kurzbeschreibung").fill("Wir führen Smart Parking gemeinsam ein.")
    page.get_by_role("button", name="Vorschlag veröffentlichen").click()
    assert page.get_by_role("heading", name="Gemeinsames Parkleitsystem").is_visible()
    assert axe_violations(page) == []
    proposal_url = page.url

    other = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    partner_page = other.new_page()
    sign_in(partner_page, partner_editor)
    partner_page.goto(proposal_url)
    partner_page.get_by_label("Ihre Nachricht an die Initiatorin").fill("Wir teilen gern.")
    partner_page.get_by_role("button", name="Beitritt anfragen").click()
    assert "Ihre Anfrage ist gestellt" in partner_page.content()
    other.close()

    page.goto("/mein-bereich/benachrichtigungen/")
    assert "Villingen-Schwenningen" in page.content()
    assert axe_violations(page) == []
    page.goto(proposal_url)
    page.get_by_role("button", name="Annehmen").click()
    members = page.get_by_role("heading", name="Beteiligte Organisationen")
    assert members.is_visible()
    assert "Villingen-Schwenningen – beteiligt" in page.locator("main").inner_text()
    page.goto("/kooperation/")
    assert axe_violations(page) == []
