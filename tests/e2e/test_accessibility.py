import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/initiative/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/organisationen/",
    "/konto/login/",
    "/konto/signup/",
    "/daten/",
    "/erfahrungsaustausch/",
    "/kooperation/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_no_axe_violations(page, path):
    OrganizationFactory(name="Ravensburg", slug="ravensburg", kind="grosse_kreisstadt")
    page.goto(path)
    assert axe_violations(page) == []


def test_skip_link_is_first_tab_stop_and_moves_focus_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_form_errors_are_accessible_after_failed_signup(page):
    page.goto("/konto/signup/")
    page.get_by_label("E-Mail").fill("kein-at")
    page.get_by_role("button", name="Registrieren").click()
    assert page.locator(".kern-error").count() >= 1
    assert axe_violations(page) == []


def test_admin_manages_people_with_keyboard_only_pages_clean(page):
    membership = MembershipFactory(admin=True, organization__slug="konstanz")
    user = membership.user
    UserFactory(email="kollegin@example.org")
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto("/organisationen/konstanz/personen/")
    assert axe_violations(page) == []
    page.get_by_label("E-Mail-Adresse").fill("kollegin@example.org")
    page.get_by_role("button", name="Einladung senden").click()
    assert "Die Einladung an kollegin@example.org wurde verschickt." in page.content()
    page.goto("/organisationen/konstanz/")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/projekte/",
        "/projekte/?thema=mobilitaet-parken&stand=umgesetzt",
        "/projekte/?q=Atlantis",
        "/projekte/smart-parking/",
        "/initiative/ziele/3/",
        "/organisationen/villingen-schwenningen/",
    ],
)
def test_project_pages_have_no_axe_violations(page, path):
    from initiativek.core.models import Topic
    from tests.projects.factories import ProjectFactory

    owner = OrganizationFactory(name="Villingen-Schwenningen", slug="villingen-schwenningen")
    ProjectFactory(
        owner=owner,
        slug="smart-parking",
        title="Smart Parking",
        description="Sensoren erfassen **freie Parkplätze**.\n\n- Liste\n- mit Punkten",
        done=True,
        goals=[3, 5],
        topics=[
            Topic.objects.get_or_create(
                slug="mobilitaet-parken", defaults={"name": "Mobilität & Parken"}
            )[0]
        ],
    )
    page.goto(path)
    assert axe_violations(page) == []


def test_project_form_with_errors_has_no_axe_violations(page):
    membership = MembershipFactory(editor=True)
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(membership.user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto("/projekte/neu/")
    page.get_by_role("button", name="Speichern").click()
    assert page.locator(".kern-error").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/veranstaltungen/",
        "/veranstaltungen/kalender/?monat=2021-05",
        "/veranstaltungen/treffen/",
    ],
)
def test_event_pages_have_no_axe_violations(page, path):
    from tests.events.factories import EventFactory, ProgramItemFactory, SpeakerFactory

    event = EventFactory(slug="treffen", title="Treffen in Ravensburg")
    ProgramItemFactory(event=event, title="Begrüßung", speakers=[SpeakerFactory()])
    page.goto(path)
    assert axe_violations(page) == []


def test_event_registration_with_errors_and_manage_page_are_accessible(page):
    from tests.events.factories import EventFactory

    EventFactory(slug="treffen", title="Treffen")
    page.goto("/veranstaltungen/treffen/")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    assert page.locator(".kern-error").count() >= 1
    assert axe_violations(page) == []
    page.get_by_label("Vor- und Nachname").fill("Gabi Gast")
    page.get_by_label("E-Mail-Adresse").fill("gabi@example.org")
    page.get_by_label("online").check()
    page.locator("input[name=r-privacy]").check()
    page.get_by_role("button", name="Verbindlich anmelden").click()
    assert "Ihre Anmeldung" in page.content()
    assert axe_violations(page) == []


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_guest_registers_for_an_event_with_the_keyboard_only(page):
    from initiativek.events.models import Registration
    from tests.events.factories import EventFactory

    EventFactory(slug="treffen", title="Treffen")
    page.goto("/veranstaltungen/treffen/")
    _tab_to(page, "#id_r-name")
    page.keyboard.type("Gabi Gast")
    _tab_to(page, "#id_r-email")
    page.keyboard.type("gabi@example.org")
    _tab_to(page, "input[name=r-mode]")
    # arrow keys move within the radio group; pick "online"
    for _ in range(3):
        if page.evaluate("document.activeElement.value") == "online":
            break
        page.keyboard.press("ArrowDown")
    _tab_to(page, "#id_r-privacy")
    page.keyboard.press("Space")
    _tab_to(page, "form[action$='/anmelden/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Bitte bestätigen Sie Ihre Anmeldung").first.wait_for()
    registration = Registration.objects.get()
    assert (registration.email, registration.mode) == ("gabi@example.org", "online")


def test_project_import_pages_have_no_axe_violations(page):
    membership = MembershipFactory(editor=True, organization__slug="konstanz")
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(membership.user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto("/projekte/import/")
    assert axe_violations(page) == []
    page.goto("/mein-bereich/profil/")
    assert axe_violations(page) == []
