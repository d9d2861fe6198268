"""Browser journey through the project catalog, in the German and the English interface: an
editor creates a project with the web form, publishes it, and finds it with the catalog's
search – and so does a visitor who is not signed in.

Every step is kept as a screenshot under ``test-results/`` and checked with axe-core."""

import pytest
from playwright.sync_api import expect

from initiativek.projects.models import Project
from tests.e2e.conftest import (
    JOURNEY_LANGUAGES,
    axe_violations,
    screenshot,
    sign_in,
    switch_language,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The English texts are the msgstr of the English catalogue.
TEXT = {
    "de": {
        "main_navigation": "Hauptnavigation",
        "projects": "Projekte",
        "create": "Projekt anlegen",
        "about": "Worum geht es?",
        "title": "Titel",
        "summary": "Kurzbeschreibung",
        "status": "Stand",
        "in_progress": "in Umsetzung",
        "save": "Speichern",
        "saved": "Das Projekt wurde gespeichert.",
        "draft": "Entwurf – nicht öffentlich",
        "publish": "Veröffentlichen",
        "published": "Das Projekt ist jetzt veröffentlicht.",
        "search_terms": "Suchbegriffe",
        "search": "Suchen",
        "one_project": "1 Projekt",
    },
    "en": {
        "main_navigation": "Main navigation",
        "projects": "Projects",
        "create": "Create project",
        "about": "What is it about?",
        "title": "Title",
        "summary": "Summary",
        "status": "Status",
        "in_progress": "in progress",
        "save": "Save",
        "saved": "The project has been saved.",
        "draft": "Draft – not public",
        "publish": "Publish",
        "published": "The project is now published.",
        "search_terms": "Search terms",
        "search": "Search",
        "one_project": "1 project",
    },
}


def _search(page, text: dict, words: str) -> None:
    navigation = page.get_by_role("navigation", name=text["main_navigation"])
    navigation.get_by_role("link", name=text["projects"], exact=True).click()
    page.get_by_label(text["search_terms"]).fill(words)
    page.get_by_role("search").get_by_role("button", name=text["search"]).click()


@pytest.mark.parametrize("lang", JOURNEY_LANGUAGES)
def test_an_editor_creates_publishes_and_finds_a_project(page, open_page, lang):
    text = TEXT[lang]
    journey = f"projekt-anlegen-{lang}"
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz")
    editor = MembershipFactory(organization=konstanz, editor=True).user
    ProjectFactory(title="Smart Parking", summary="Sensoren erfassen freie Parkplätze.")
    switch_language(page, lang)
    sign_in(page, editor, lang)

    page.goto("/projekte/")
    page.get_by_role("link", name=text["create"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["create"])
    about = page.get_by_role("group", name=text["about"])
    about.get_by_label(text["title"], exact=True).fill("Rufbus per App")
    about.get_by_label(text["summary"], exact=True).fill(
        "Bürgerinnen und Bürger bestellen den Rufbus im Ortsteil per App."
    )
    about.get_by_label(text["status"], exact=True).select_option(label=text["in_progress"])
    assert axe_violations(page) == []
    screenshot(page, journey, "1-formular")
    page.get_by_role("button", name=text["save"], exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rufbus per App")
    expect(page.get_by_role("status")).to_contain_text(text["saved"])
    expect(page.locator("main")).to_contain_text(text["draft"])
    assert axe_violations(page) == []
    screenshot(page, journey, "2-entwurf")
    project = Project.objects.get(title="Rufbus per App")
    assert (project.owner, project.status, project.publication) == (
        konstanz,
        "in_umsetzung",
        "entwurf",
    )

    page.get_by_role("button", name=text["publish"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(text["published"])
    expect(page.locator("main")).not_to_contain_text(text["draft"])
    screenshot(page, journey, "3-veroeffentlicht")
    project.refresh_from_db()
    assert project.publication == "veroeffentlicht"

    _search(page, text, "Rufbus")
    results = page.get_by_role("region", name=text["one_project"], exact=True)
    expect(results.get_by_role("link", name="Rufbus per App")).to_be_visible()
    expect(results).not_to_contain_text("Smart Parking")
    assert axe_violations(page) == []
    screenshot(page, journey, "4-gefunden")

    visitor = open_page(lang)
    _search(visitor, text, "Ortsteil App")
    results = visitor.get_by_role("region", name=text["one_project"], exact=True)
    results.get_by_role("link", name="Rufbus per App").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Rufbus per App")
    screenshot(visitor, journey, "5-besucher")
