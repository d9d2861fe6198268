"""Browser journeys around events, each in the German and the English interface:

- a guest registers for the hybrid demo event and confirms by the link in the e-mail;
- a host downloads the participant list (CSV and XLSX) from the event's host pages.

Every step is kept as a screenshot under ``test-results/`` and checked with axe-core."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from initiativek.core.models import AuditEntry
from initiativek.events import seeding
from initiativek.events.models import Event, Registration
from tests.e2e.conftest import (
    JOURNEY_LANGUAGES,
    axe_violations,
    link_in_mail,
    screenshot,
    sign_in,
    switch_language,
)
from tests.events.factories import EventFactory, EventSeriesFactory, RegistrationFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The English texts are the msgstr of the English catalogue: a German text in the English
# interface (a missing translation) fails the journey.
REGISTRATION_TEXT = {
    "de": {
        "main_navigation": "Hauptnavigation",
        "events": "Veranstaltungen",
        "name": "Vor- und Nachname",
        "email": "E-Mail-Adresse",
        "organization": "Organisation – optional",
        "onsite": "vor Ort",
        "privacy": "Ich habe den Datenschutzhinweis gelesen",
        "register": "Verbindlich anmelden",
        "almost_done": "Fast geschafft: Bitte bestätigen Sie Ihre Anmeldung",
        "mail_subject": "Bitte bestätigen Sie Ihre Anmeldung",
        "mail_greeting": "Guten Tag Gabi Gast,",
        "confirm": "Anmeldung bestätigen",
        "registered": "Sie sind angemeldet. Die Bestätigung kommt per E-Mail.",
        "your_registration": "Ihre Anmeldung",
        "status": "Status",
        "confirmed": "bestätigt",
        "attendance": "Teilnahme",
        "venue": "Ort",
        "confirmed_subject": "Anmeldung bestätigt",
    },
    "en": {
        "main_navigation": "Main navigation",
        "events": "Events",
        "name": "First and last name",
        "email": "Email address",
        "organization": "Organisation – optional",
        "onsite": "on site",
        "privacy": "I have read the privacy notice",
        "register": "Register",
        "almost_done": "Almost done: please confirm your registration",
        "mail_subject": "Please confirm your registration",
        "mail_greeting": "Hello Gabi Gast,",
        "confirm": "Confirm registration",
        "registered": "You are registered. The confirmation will follow by email.",
        "your_registration": "Your registration",
        "status": "Status",
        "confirmed": "confirmed",
        "attendance": "Attendance",
        "venue": "Venue",
        "confirmed_subject": "Registration confirmed",
    },
}


@pytest.fixture
def demo_event() -> Event:
    """The hybrid demo event, as ``seed_demo`` creates it, hosted by Ravensburg."""
    OrganizationFactory(name="Ravensburg", slug="ravensburg", ags="08436064")
    seeding._seed_upcoming(EventSeriesFactory(name="Initiative K", slug="initiative-k"))
    event = Event.objects.get()
    assert (event.format, event.capacity_onsite > 0, event.capacity_online > 0) == (
        "hybrid",
        True,
        True,
    )
    return event


def _value_of(page, term: str):
    """The value beside ``term`` in the page's description list."""
    item = page.locator(".kern-description-list-item").filter(has=page.locator("dt", has_text=term))
    return item.locator("dd").first


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_a_guest_registers_for_the_hybrid_demo_event_and_confirms_by_email(
    page, demo_event, outbox, lang
):
    text = REGISTRATION_TEXT[lang]
    journey = f"gast-anmeldung-{lang}"
    switch_language(page, lang)

    navigation = page.get_by_role("navigation", name=text["main_navigation"])
    navigation.get_by_role("link", name=text["events"], exact=True).click()
    page.get_by_role("link", name=demo_event.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_event.title)
    assert axe_violations(page) == []
    screenshot(page, journey, "1-veranstaltung")

    page.get_by_label(text["name"]).fill("Gabi Gast")
    page.get_by_label(text["email"], exact=True).fill("gabi@example.org")
    page.get_by_label(text["organization"], exact=True).fill("Stadtwerke Beispielstadt")
    page.get_by_label(text["onsite"], exact=True).check()
    page.get_by_label(text["privacy"]).check()
    screenshot(page, journey, "2-formular")
    page.get_by_role("button", name=text["register"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(text["almost_done"])
    assert axe_violations(page) == []
    screenshot(page, journey, "3-mail-verschickt")

    registration = Registration.objects.get()
    assert (registration.status, registration.mode) == ("unbestaetigt", "vor_ort")
    [mail] = outbox
    assert mail.to == ["gabi@example.org"]
    assert text["mail_subject"] in mail.subject
    assert text["mail_greeting"] in mail.body
    page.goto(link_in_mail(mail, "/bestaetigen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["confirm"])
    assert axe_violations(page) == []
    screenshot(page, journey, "4-bestaetigen")

    page.get_by_role("button", name=text["confirm"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["your_registration"])
    expect(page.get_by_role("status")).to_contain_text(text["registered"])
    expect(_value_of(page, text["status"])).to_have_text(text["confirmed"])
    expect(_value_of(page, text["attendance"])).to_have_text(text["onsite"])
    expect(_value_of(page, text["venue"])).to_contain_text(demo_event.venue)
    assert axe_violations(page) == []
    screenshot(page, journey, "5-angemeldet")

    registration.refresh_from_db()
    assert registration.status == "bestaetigt"
    assert [text["confirmed_subject"] in message.subject for message in outbox] == [False, True]


EXPORT_TEXT = {
    "de": {
        "manage": "Veranstaltung verwalten",
        "participants": "Teilnehmende und Check-in",
        "heading": "Teilnehmende: ",
        "csv": "CSV (Excel)",
        "xlsx": "XLSX",
        "header": ["Name", "Organisation", "E-Mail-Adresse", "Teilnahme", "Status"],
        "row": ["Gabi Gast", "Stadtwerke Beispielstadt", "gabi@example.org", "vor Ort"],
        "confirmed": "bestätigt",
        "sheet": "Teilnehmende",
    },
    "en": {
        "manage": "Manage event",
        "participants": "Participants and check-in",
        "heading": "Participants: ",
        "csv": "CSV (Excel)",
        "xlsx": "XLSX",
        "header": ["Name", "Organisation", "Email address", "Attendance", "Status"],
        "row": ["Gabi Gast", "Stadtwerke Beispielstadt", "gabi@example.org", "on site"],
        "confirmed": "confirmed",
        "sheet": "Participants",
    },
}


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_a_host_exports_the_participant_list(page, lang):
    text = EXPORT_TEXT[lang]
    journey = f"teilnehmende-export-{lang}"
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    event = EventFactory(title="Erfahrungsaustausch Homeoffice", hosts=[ravensburg])
    RegistrationFactory(
        event=event,
        name="Gabi Gast",
        email="gabi@example.org",
        organization_name="Stadtwerke Beispielstadt",
    )
    host = MembershipFactory(organization=ravensburg, editor=True).user
    switch_language(page, lang)
    sign_in(page, host, lang)

    page.goto(event.get_absolute_url())
    page.get_by_role("link", name=text["manage"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    assert axe_violations(page) == []
    screenshot(page, journey, "1-verwalten")

    page.get_by_role("link", name=text["participants"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["heading"] + event.title)
    row = page.get_by_role("row").filter(has_text="Gabi Gast")
    expect(row).to_contain_text("gabi@example.org")
    expect(row).to_contain_text(text["confirmed"])
    assert axe_violations(page) == []
    screenshot(page, journey, "2-teilnehmende")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name=text["csv"]).click()
    assert csv_download.value.suggested_filename == f"teilnehmende-{event.slug}.csv"
    lines = Path(csv_download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[:5] == text["header"]
    assert [line.split(";")[:4] for line in lines[1:]] == [text["row"]]

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=text["xlsx"]).click()
    assert xlsx_download.value.suggested_filename == f"teilnehmende-{event.slug}.xlsx"
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    sheet = workbook.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == text["sheet"]
    assert rows[0][:5] == text["header"]
    assert [row[:4] for row in rows[1:]] == [text["row"]]

    exports = AuditEntry.objects.filter(action="events.participants.exported")
    assert sorted(entry.data["format"] for entry in exports) == ["csv", "xlsx"]
    assert {entry.actor for entry in exports} == {host}
