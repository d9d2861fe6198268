import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; the database access
# of the test itself is still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots of journey steps, kept as test artifacts (not committed).
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-results"))
AXE = Path(__file__).resolve().parents[2] / "src/initiativek/static/vendor/axe-core/axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp only lets the test inject axe-core; the page itself runs under its real CSP.
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def screenshot(page, journey: str, step: str) -> Path:
    """Save a full-page screenshot of a journey step under ``test-results/<journey>/``."""
    target = ARTIFACTS / journey / f"{step}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


# --- Journeys in both interface languages (issue 8) ----------------------------------------

# Each journey runs once with the German and once with the English interface.
JOURNEY_LANGUAGES = ["de", "en"]

# What a person reads on the sign-in page, per interface language.
SIGN_IN_TEXT = {
    "de": {"email": "E-Mail-Adresse", "password": "Passwort", "submit": "Anmelden"},
    "en": {"email": "Email", "password": "Password", "submit": "Sign In"},
}


def switch_language(page, lang: str) -> None:
    """Choose the interface language with the switch in the page header, as a visitor does
    (the choice is kept in the language cookie of the browser context)."""
    page.goto("/")
    if page.locator("html").get_attribute("lang") != lang:
        switch = {"en": "English", "de": "Deutsch"}[lang]
        page.locator("header").get_by_role("button", name=switch, exact=True).click()
    page.wait_for_selector(f"html[lang='{lang}']")


def sign_in(page, user, lang: str = "de") -> None:
    """Sign in with e-mail address and the factories' password on the sign-in page."""
    from tests.accounts.factories import PASSWORD

    text = SIGN_IN_TEXT[lang]
    page.goto("/konto/login/")
    page.get_by_label(text["email"], exact=True).fill(user.email)
    page.get_by_label(text["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=text["submit"], exact=True).click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)


@pytest.fixture
def open_page(browser, live_server):
    """Open another browser (a second person) with the interface in ``lang``."""
    contexts = []

    def open_(lang: str = "de"):
        context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        switch_language(page, lang)
        return page

    yield open_
    for context in contexts:
        context.close()


def link_in_mail(message, path_part: str) -> str:
    """The path of the first link in ``message`` whose path contains ``path_part`` (the
    mail's links point at SITE_URL, the browser goes to the live server)."""
    import re

    for match in re.finditer(r"https?://[^/\s]+(/\S+)", message.body):
        if path_part in match.group(1):
            return match.group(1)
    raise AssertionError(f"no link with {path_part!r} in the mail {message.subject!r}")


@pytest.fixture(autouse=True)
def _fresh_match_index():
    """Recommendations start from the test's own data. The matching index is cached per
    process: one built for an earlier test would be served as "being updated" (and without
    the new test's organizations) while the new one builds in the background."""
    from initiativek.cooperation.recommendations.index import match_index_clear

    match_index_clear()
    yield
    match_index_clear()
