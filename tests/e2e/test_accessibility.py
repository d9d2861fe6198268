from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import AXE, axe_violations
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
    """From the event page to the confirmed registration with Tab, Enter, Space, arrow keys and
    typing only – through a failed first try whose error summary leads back to the field."""
    from initiativek.events.models import Registration
    from tests.events.factories import EventFactory

    EventFactory(slug="treffen", title="Treffen")
    page.goto("/veranstaltungen/treffen/")
    _tab_to(page, "#id_r-name")
    page.keyboard.type("Gabi Gast")
    _tab_to(page, "form[action$='/anmelden/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".kern-alert--danger").is_visible()
    assert page.locator("#id_r-name").input_value() == "Gabi Gast"

    # The error summary links to the field; following it puts the focus there.
    _tab_to(page, ".kern-alert--danger a[href='#id_r-email']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_r-email"
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

    # The link from the confirmation e-mail, then the button on that page.
    page.goto(f"/veranstaltungen/anmeldung/{registration.token}/bestaetigen/")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    registration.refresh_from_db()
    assert registration.status == "bestaetigt"
    assert axe_violations(page) == []


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


# --- Every page type, per role -------------------------------------------------------------
# The paths below are grouped by who sees them; ``world`` builds one small data set in which
# each of them shows real content (a filled list, not an empty state).


def log_in(page, live_server, user) -> None:
    """Give the browser a signed-in session of ``user`` (the sign-in form has its own test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def world():
    """A member town with an editor, a hosted event with registrations and outcomes, a
    questionnaire with answers, a cooperation proposal, a membership application, a
    notification and a closing statement that waits for the team's follow-up."""
    from initiativek.core.models import Notification, Topic
    from initiativek.events.models import ClosingStatement
    from tests.cooperation.factories import JoinRequestFactory, ProposalFactory
    from tests.events.factories import (
        ClosingStatementFactory,
        EventFactory,
        ProgramItemFactory,
        RegistrationFactory,
        SpeakerFactory,
    )
    from tests.organizations.factories import ApplicationFactory
    from tests.projects.factories import ProjectFactory, SearchableProjectFactory
    from tests.surveys.factories import (
        AnswerFactory,
        QuestionFactory,
        QuestionnaireFactory,
        ResponseFactory,
    )

    parking = Topic.objects.get_or_create(slug="mobilitaet-parken", defaults={"name": "Parken"})[0]
    town = OrganizationFactory(
        name="Ravensburg", slug="ravensburg", kind="grosse_kreisstadt", population=51_000
    )
    partner = OrganizationFactory(
        name="Villingen-Schwenningen", slug="villingen-schwenningen", population=88_000
    )
    OrganizationFactory(name="Bodnegg", slug="bodnegg", kind="gemeinde", not_member=True)
    editor = MembershipFactory(organization=town, editor=True).user
    MembershipFactory(organization=partner, editor=True)
    ProjectFactory(owner=town, title="Parkleitsystem", topics=[parking], goals=[3])
    SearchableProjectFactory(
        owner=partner,
        title="Smart Parking",
        summary="Sensoren erfassen freie Parkplätze.",
        topics=[parking],
        done=True,
    )

    event = EventFactory(slug="treffen", title="Treffen in Ravensburg", hosts=[town])
    ProgramItemFactory(
        event=event, title="Begrüßung", speakers=[SpeakerFactory(name="Dana Muster")]
    )
    RegistrationFactory(event=event, name="Gabi Gast")
    RegistrationFactory(event=event, online=True, pending=True)
    RegistrationFactory(event=event, waitlisted=True)
    past = EventFactory(
        slug="rueckblick",
        title="Rückblick",
        hosts=[town],
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=60, hours=-2),
    )
    statement = ClosingStatementFactory(event=past, organization=partner)
    ClosingStatement.objects.filter(pk=statement.pk).update(
        created_at=timezone.now() - timedelta(days=58)
    )

    questionnaire = QuestionnaireFactory(title="Homeoffice", slug="homeoffice")
    share = QuestionFactory(
        questionnaire=questionnaire, key="anteil", text="Anteil im Homeoffice?", kind="percentage"
    )
    access = QuestionFactory(
        questionnaire=questionnaire,
        key="zugang",
        text="Zugang?",
        kind="single",
        choices=["VPN", "VDI"],
    )
    third = OrganizationFactory(name="Waiblingen", population=55_000)
    # Results are shown from three submitted answers on.
    for organization, value in ((town, 40), (partner, 70), (third, 55)):
        response = ResponseFactory(
            questionnaire=questionnaire, organization=organization, submitted=True
        )
        AnswerFactory(response=response, question=share, number_value=Decimal(value))
        AnswerFactory(response=response, question=access, choices=[access.choices.first()])

    proposal = ProposalFactory(slug="gemeinsame-eakte", initiator=town)
    JoinRequestFactory(proposal=proposal, organization=partner)
    Notification.objects.create(
        user=editor, text="Villingen-Schwenningen möchte mitmachen.", url="/kooperation/"
    )
    application = ApplicationFactory(organization__name="Bad Waldsee")
    return {"editor": editor, "application": application, "event": event}


def _visit(page, path: str, expected: str) -> None:
    """Open ``path``; it must answer 200 and show ``expected`` (so axe checks a filled page)."""
    response = page.goto(path)
    assert response.status == 200, path
    assert expected in page.locator("main").inner_text(), path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/organisationen/?kind=grosse_kreisstadt&mitglied=ja", "Ravensburg"),
        ("/organisationen/?q=Raven", "Ravensburg"),
        ("/organisationen/?mitglied=nein", "Bodnegg"),
        ("/organisationen/?q=Atlantis", "Organisationen"),
        ("/projekte/?thema=mobilitaet-parken&stand=umgesetzt&q=Sensoren", "Smart Parking"),
        ("/projekte/?ziel=3&art=grosse_kreisstadt", "Parkleitsystem"),
        ("/organisationen/ravensburg/", "Parkleitsystem"),
        ("/veranstaltungen/?format=hybrid&gastgeber=ravensburg", "Treffen in Ravensburg"),
        ("/veranstaltungen/treffen/", "Begrüßung"),
        ("/daten/", "Daten"),
        ("/konto/login/", "Anmelden"),
    ],
)
def test_visitor_pages_have_no_axe_violations(page, world, path, expected):
    _visit(page, path, expected)
    assert axe_violations(page) == [], path


def test_not_found_page_is_a_real_404_without_violations(page, world):
    response = page.goto("/seite-gibt-es-nicht/")
    assert response.status == 404
    assert page.locator("h1").inner_text().strip()
    assert axe_violations(page) == []


def test_failed_login_has_no_axe_violations(page, world):
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill("niemand@example.org")
    page.get_by_label("Passwort").fill("falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert "/konto/login/" in page.url
    assert page.locator(".kern-error, .kern-alert--danger").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mein-bereich/", "Ravensburg"),
        ("/mein-bereich/profil/", "Profil"),
        ("/mein-bereich/benachrichtigungen/", "Villingen-Schwenningen möchte mitmachen."),
        ("/mein-bereich/benachrichtigungen/einstellungen/", "E-Mail"),
        ("/veranstaltungen/mein-kalender/", "Kalender"),
        ("/erfahrungsaustausch/", "Homeoffice"),
        ("/erfahrungsaustausch/homeoffice/", "Homeoffice"),
        ("/erfahrungsaustausch/homeoffice/antworten/ravensburg/", "Anteil im Homeoffice?"),
        ("/erfahrungsaustausch/homeoffice/ergebnisse/", "Anteil im Homeoffice?"),
        ("/kooperation/", "Gemeinsame eAkte"),
        ("/kooperation/empfehlungen/", "Villingen-Schwenningen"),
        ("/kooperation/neu/", "Titel"),
        ("/kooperation/gemeinsame-eakte/", "Villingen-Schwenningen"),
        ("/projekte/neu/", "Titel"),
        ("/organisationen/ravensburg/bearbeiten/", "Ravensburg"),
    ],
)
def test_member_and_editor_pages_have_no_axe_violations(page, live_server, world, path, expected):
    log_in(page, live_server, world["editor"])
    _visit(page, path, expected)
    assert axe_violations(page) == [], path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/veranstaltungen/treffen/verwalten/", "Treffen in Ravensburg"),
        ("/veranstaltungen/treffen/bearbeiten/", "Treffen in Ravensburg"),
        ("/veranstaltungen/treffen/programm/", "Begrüßung"),
        ("/veranstaltungen/treffen/programm/{item}/", "Begrüßung"),
        ("/veranstaltungen/treffen/mitwirkende/", "Dana Muster"),
        ("/veranstaltungen/treffen/teilnehmende/", "Gabi Gast"),
        ("/veranstaltungen/treffen/nachricht/", "Treffen in Ravensburg"),
        ("/veranstaltungen/rueckblick/ergebnisse/", "Wir möchten die Plattform"),
    ],
)
def test_event_host_pages_have_no_axe_violations(page, live_server, world, path, expected):
    path = path.format(item=world["event"].program.get().pk)
    log_in(page, live_server, world["editor"])
    _visit(page, path, expected)
    assert axe_violations(page) == [], path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/team/antraege/", "Bad Waldsee"),
        ("/team/antraege/{application}/", "Bad Waldsee"),
        ("/erfahrungsaustausch/homeoffice/fortschritt/", "Villingen-Schwenningen"),
        ("/kooperation/nachfassen/", "Wir möchten die Plattform"),
        ("/veranstaltungen/neu/", "Titel"),
    ],
)
def test_team_pages_have_no_axe_violations(page, live_server, world, path, expected):
    path = path.format(application=world["application"].pk)
    log_in(page, live_server, UserFactory(is_staff=True))
    _visit(page, path, expected)
    assert axe_violations(page) == [], path


def test_axe_helper_reports_real_violations(page):
    """The checks above can fail: a picture without text alternative is reported."""
    page.goto("/impressum/")
    page.evaluate(
        """() => { const img = document.createElement('img');
            img.src = '/static/img/none.png'; document.querySelector('main').append(img); }"""
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


def _axe_ids(page, context: dict) -> set[str]:
    """The ids of the WCAG 2.1 A/AA rules axe-core finds violated within ``context``
    (axe's ``{include: …, exclude: …}``)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (context) => await axe.run(context, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""",
        context,
    )
    return {violation["id"] for violation in result["violations"]}


def test_api_docs_page_is_clean_around_the_swagger_ui_widget(page):
    """Our part of /api/docs/ (language, header links, contrast fixes) has no violations.
    Swagger UI, a third-party widget, nests buttons in its operation headers; that is excluded
    here – only its container – and named in the accessibility statement."""
    page.goto("/api/docs/")
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.get_by_role("link", name="OpenAPI-Schema als Datei (YAML)").is_visible()
    assert _axe_ids(page, {"exclude": [["#swagger-ui"]]}) == set()
    # Inside the widget (operations collapsed) our colour fixes leave only the known defect.
    assert _axe_ids(page, {"include": [["#swagger-ui"]]}) <= {"nested-interactive"}


def test_charts_have_a_text_alternative_and_a_table(page, live_server, world):
    """The statement promises: charts are SVG with a name and the same numbers as a table."""
    log_in(page, live_server, world["editor"])
    page.goto("/erfahrungsaustausch/homeoffice/ergebnisse/")
    charts = page.locator("figure.results-chart")
    assert charts.count() >= 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        svg = chart.locator("svg")
        assert svg.get_attribute("role") == "img"
        assert svg.evaluate("(e) => e.querySelector('title').textContent.trim()")
        table = chart.locator("xpath=following-sibling::div[1]//table")
        assert table.locator("caption").inner_text().strip()
        assert table.locator("tbody tr").count() >= 1
    page.goto("/initiative/ziele/3/")
    assert page.locator("figure.bar-chart svg").get_attribute("aria-hidden") == "true"
    assert page.locator("figure.bar-chart + table tbody tr").count() >= 1


# --- Zoom and reflow -----------------------------------------------------------------------
# 320 CSS px wide is a 1280 px window at 400 % zoom (WCAG 1.4.10): no page may then scroll
# sideways; wide tables scroll inside their own region, which the keyboard reaches.

REFLOW_PATHS = [
    "/",
    "/organisationen/?mitglied=ja",
    "/projekte/?thema=mobilitaet-parken",
    "/veranstaltungen/treffen/",
    "/veranstaltungen/kalender/",
    "/daten/",
    "/barrierefreiheit/",
    "/initiative/ziele/3/",
    "/mein-bereich/profil/",
    "/erfahrungsaustausch/homeoffice/antworten/ravensburg/",
    "/erfahrungsaustausch/homeoffice/ergebnisse/",
    "/erfahrungsaustausch/homeoffice/fortschritt/",
    "/kooperation/empfehlungen/",
    "/kooperation/nachfassen/",
    "/organisationen/ravensburg/personen/",
    "/veranstaltungen/treffen/verwalten/",
    "/veranstaltungen/treffen/teilnehmende/",
    "/team/antraege/",
]


def test_pages_reflow_at_400_percent_zoom(page, live_server, world):
    from initiativek.organizations.models import Organization

    team_admin = UserFactory(is_staff=True)
    MembershipFactory(
        user=team_admin, organization=Organization.objects.get(slug="ravensburg"), admin=True
    )
    log_in(page, live_server, team_admin)
    page.set_viewport_size({"width": 320, "height": 800})
    problems = {}
    for path in REFLOW_PATHS:
        assert page.goto(path).status == 200, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        violations = axe_violations(page)
        if overflow > 0 or violations:
            problems[path] = {"overflow_px": overflow, "axe": violations}
    assert problems == {}


# --- Visible focus -------------------------------------------------------------------------

FOCUS_STYLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        element: element.tagName + (element.id ? '#' + element.id : '')
            + ' ' + (element.textContent || element.value || '').trim().slice(0, 30),
        visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== 'none',
    };
}"""


def _focus_stops_without_indicator(page, stops: int) -> list[str]:
    """Press Tab up to ``stops`` times (until the focus leaves the page); the focused elements
    that show neither an outline nor a box shadow."""
    missing, visited = [], 0
    for _ in range(stops):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state["element"].startswith("BODY"):
            break
        visited += 1
        if not state["visible"]:
            missing.append(state["element"])
    assert visited >= 5, "the Tab key reached almost nothing"
    return missing


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/projekte/?thema=mobilitaet-parken",
        "/veranstaltungen/treffen/",
        "/konto/login/",
        "/barrierefreiheit/",
        "/daten/",
    ],
)
def test_keyboard_focus_is_visible_on_key_pages(page, world, path):
    page.goto(path)
    assert _focus_stops_without_indicator(page, stops=60) == []


def test_keyboard_focus_is_visible_in_forms_and_tables_of_members(page, live_server, world):
    log_in(page, live_server, world["editor"])
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (
        "/erfahrungsaustausch/homeoffice/antworten/ravensburg/",
        "/erfahrungsaustausch/homeoffice/ergebnisse/",
    ):
        page.goto(path)
        assert _focus_stops_without_indicator(page, stops=80) == [], path
