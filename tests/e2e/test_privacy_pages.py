"""The privacy pages in a real browser: no axe-core violations (WCAG 2.1 A/AA), and the data
download arrives as a file."""

import json
import re

import pytest

from initiativek.core.services import audit_log
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations, screenshot
from tests.events.factories import RegistrationFactory
from tests.organizations.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/mein-bereich/")


def test_data_page_consents_and_download(page):
    user = UserFactory(name="Dora Daten")
    RegistrationFactory(user=user, email=user.email, name=user.name, listed=True)
    _sign_in(page, user)

    page.get_by_role("link", name="Meine Daten und Einwilligungen").click()
    assert axe_violations(page) == []
    screenshot(page, "privacy", "01-meine-daten")
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle meine Daten herunterladen (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["name"] == "Dora Daten"

    page.get_by_role("button", name=re.compile("Widerrufen.*Teilnehmendenliste")).click()
    assert "ist widerrufen" in page.content()
    assert axe_violations(page) == []


def test_delete_page_with_error_and_last_admin_hint(page):
    membership = MembershipFactory(admin=True, organization__name="Aulendorf")
    _sign_in(page, membership.user)

    page.goto("/mein-bereich/daten/konto-loeschen/")
    assert "Zuerst übergeben" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "privacy", "02-konto-loeschen-uebergabe")

    MembershipFactory(organization=membership.organization, admin=True)
    page.reload()
    page.get_by_label("Ihr Passwort").fill("falsch")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    assert "Das Passwort stimmt nicht." in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Ihr Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Konto endgültig löschen").click()
    assert "Ihr Konto wurde gelöscht." in page.content()
    screenshot(page, "privacy", "03-konto-geloescht")


def test_audit_log_page(page):
    team = UserFactory(is_staff=True, name="Tina Team")
    audit_log(actor=team, action="organizations.organization.changed", obj=team)
    _sign_in(page, team)

    page.goto("/team/protokoll/?von=gestern")
    assert axe_violations(page) == []
    screenshot(page, "privacy", "04-protokoll")


def test_signup_page_shows_the_privacy_notice(page):
    page.goto("/konto/signup/")
    assert "Mit der Registrierung legen Sie ein persönliches Konto an." in page.content()
    assert axe_violations(page) == []
