"""Security hardening (issue 8, item 3): throttling and rate limits, production headers and
cookies, templates fit for a strict CSP, checked uploads, no user-controlled redirects and a
clean ``check --deploy``."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from initiativek.conf import base as base_settings
from initiativek.core import views as core_views
from initiativek.core.models import AccessibilityFeedback, OutgoingMail
from initiativek.events.models import ProgramMaterial, Registration
from initiativek.projects.models import Project, ProjectAttachment
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.events.factories import EventFactory, ProgramItemFactory
from tests.organizations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory
from tests.security.csp import inline_code

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "initiativek" / "templates"


@pytest.fixture
def rate_limits(settings):
    """allauth's limits as configured for every environment (CI switches them off)."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Log-in throttling and rate limits ----------------------------------------------------------


def _login(client, email, password, address):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_failed_logins_for_one_account_are_blocked_whatever_the_address(rate_limits):
    person = UserFactory()
    for attempt in range(5):
        client = Client()
        response = _login(client, person.email, "falsch-geraten", f"192.0.2.{attempt}")
        assert response.status_code == 200
        assert not _signed_in(client)
    # The sixth try, from yet another address and with the right password, is refused too.
    client = Client()
    response = _login(client, person.email, PASSWORD, "192.0.2.99")
    assert not _signed_in(client)
    body = response.content.decode()
    assert "Zu viele gescheiterte Anmeldeversuche" in body
    assert "versuche es" not in body, "allauth's informal German needs a formal override"


@pytest.mark.django_db
def test_failed_logins_from_one_address_are_blocked_across_accounts(rate_limits):
    people = [UserFactory() for _ in range(11)]
    client = Client()
    for person in people[:10]:
        _login(client, person.email, "falsch-geraten", "198.51.100.7")
    response = _login(client, people[10].email, PASSWORD, "198.51.100.7")
    assert not _signed_in(client)
    assert response.status_code in (200, 429)
    # Someone else, elsewhere, still signs in.
    other = Client()
    _login(other, people[10].email, PASSWORD, "198.51.100.8")
    assert _signed_in(other)


def _signup(client, number, address):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"neu{number}@example.org",
            "password1": "ein-sicheres-Passwort-42",
            "password2": "ein-anderes-Passwort-43",  # invalid on purpose: no account needed
            "name": "Neue Person",
        },
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_sign_up_is_limited_per_address(rate_limits):
    client = Client()
    for number in range(20):
        assert _signup(client, number, "203.0.113.5").status_code == 200
    refused = _signup(client, 20, "203.0.113.5")
    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.content.decode()  # our page, in German
    assert _signup(Client(), 21, "203.0.113.6").status_code == 200


@pytest.mark.django_db
def test_password_reset_mails_are_limited_per_address(rate_limits):
    person = UserFactory()
    url = reverse("account_reset_password")
    for attempt in range(8):
        Client().post(url, {"email": person.email}, REMOTE_ADDR=f"192.0.2.{attempt}")
    # "5/m/key": however many addresses ask, one mailbox gets at most five links a minute.
    assert OutgoingMail.objects.filter(to=[person.email]).count() == 5


@pytest.mark.django_db
def test_password_reset_is_limited_per_client(rate_limits):
    client = Client()
    url = reverse("account_reset_password")
    statuses = [
        client.post(url, {"email": f"p{n}@example.org"}, REMOTE_ADDR="192.0.2.50").status_code
        for n in range(21)
    ]
    assert 429 in statuses[20:]
    assert set(statuses[:20]) <= {200, 302}


def _guest_registration(client, event, number, address):
    return client.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {
            "r-name": "Gabi Gast",
            "r-email": f"gast{number}@example.org",
            "r-organization_name": "Stadtwerke Beispiel",
            "r-mode": "online",
            "r-privacy": "on",
        },
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_guest_registrations_are_limited_per_address_not_for_everybody(settings):
    settings.EVENT_GUEST_REGISTRATIONS_PER_HOUR = 3
    event = EventFactory(capacity_online=100)
    client = Client()
    for number in range(3):
        assert _guest_registration(client, event, number, "192.0.2.1").status_code == 302
    refused = _guest_registration(client, event, 3, "192.0.2.1")
    assert refused.status_code == 200
    assert "Zu viele Anmeldungen" in refused.content.decode()
    assert Registration.objects.count() == 3
    # Another guest elsewhere, and a signed-in member at the same address, still get through.
    assert _guest_registration(Client(), event, 4, "192.0.2.2").status_code == 302
    member = client_for(MembershipFactory().user)
    response = member.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {"r-mode": "online", "r-privacy": "on"},
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 5


PROXY = "192.0.2.254"
CLIENT_MIDDLEWARE = "initiativek.core.middleware.ClientAddressMiddleware"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    if CLIENT_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [CLIENT_MIDDLEWARE, *settings.MIDDLEWARE]


def _via_proxy(client, event, number, forwarded_for):
    return client.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {
            "r-name": "Gabi Gast",
            "r-email": f"gast{number}@example.org",
            "r-organization_name": "Stadtwerke Beispiel",
            "r-mode": "online",
            "r-privacy": "on",
        },
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_limit(settings, behind_one_proxy):
    settings.EVENT_GUEST_REGISTRATIONS_PER_HOUR = 1
    event = EventFactory(capacity_online=100)
    assert _via_proxy(Client(), event, 1, "198.51.100.1").status_code == 302
    assert _via_proxy(Client(), event, 2, "198.51.100.2").status_code == 302
    # The same client again – also when it puts a made-up address in front.
    assert _via_proxy(Client(), event, 3, "198.51.100.1").status_code == 200
    assert _via_proxy(Client(), event, 4, "203.0.113.9, 198.51.100.1").status_code == 200
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_behind_a_proxy_failed_logins_of_one_client_do_not_lock_out_the_others(
    rate_limits, behind_one_proxy
):
    person = UserFactory()
    for attempt in range(10):
        Client().post(
            reverse("account_login"),
            {"login": f"geraten{attempt}@example.org", "password": "falsch"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert _signed_in(client)


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("198.51.100.1", 1, "198.51.100.1"),
        ("203.0.113.9, 198.51.100.1", 1, "198.51.100.1"),
        ("203.0.113.9, 198.51.100.1, 192.0.2.1", 2, "198.51.100.1"),
        ("198.51.100.1", 2, PROXY),  # did not pass both proxies
        ("kein-gueltiger-wert", 1, PROXY),
        ("", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_end_of_the_header(
    settings, header, count, expected
):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from initiativek.core.middleware import ClientAddressMiddleware

    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    ClientAddressMiddleware(lambda request: HttpResponse())(request)
    assert request.META["REMOTE_ADDR"] == expected


def _feedback(client, number, address):
    return client.post(
        reverse("core:accessibility"),
        {
            "name": "Erika Beispiel",
            "email": f"erika{number}@example.org",
            "page_url": "/veranstaltungen/",
            "message": "Der Kalender ist mit der Tastatur nicht bedienbar.",
        },
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_accessibility_feedback_cannot_flood_the_teams_mailbox(monkeypatch):
    monkeypatch.setattr(core_views, "FEEDBACK_PER_HOUR", 3)
    client = Client()
    for number in range(3):
        assert _feedback(client, number, "192.0.2.10").status_code == 302
    refused = _feedback(client, 3, "192.0.2.10")
    assert refused.status_code == 200
    assert "Zu viele Rückmeldungen" in refused.content.decode()
    assert AccessibilityFeedback.objects.count() == 3
    assert _feedback(Client(), 4, "192.0.2.11").status_code == 302


# --- Uploads: checked by content and size, nothing stored when refused -------------------------

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
TYPE_REFUSED = "Dieser Dateityp ist nicht erlaubt"
DISGUISED = [
    pytest.param("bericht.pdf", EXE, TYPE_REFUSED, id="exe-as-pdf"),
    pytest.param("bericht.pdf", HTML, TYPE_REFUSED, id="html-as-pdf"),
    pytest.param("logo.svg", SVG, TYPE_REFUSED, id="svg-with-script"),
    pytest.param("logo.png", SVG, TYPE_REFUSED, id="svg-as-png"),
    pytest.param("folien.pdf", b"%PDF" + b"x" * (10 * 1024 * 1024), "höchstens 10 MB", id="11-mb"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), DISGUISED)
def test_project_attachments_are_refused_by_content_and_size(media, name, content, message):
    editor = MembershipFactory(editor=True)
    project = ProjectFactory(owner=editor.organization)
    response = client_for(editor.user).post(
        reverse("projects:attachments", kwargs={"slug": project.slug}),
        {"a-title": "Anhang", "a-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectAttachment.objects.exists()
    assert _stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), DISGUISED)
def test_event_materials_are_refused_by_content_and_size(media, name, content, message):
    host = MembershipFactory(editor=True)
    item = ProgramItemFactory(event=EventFactory(hosts=[host.organization]))
    response = client_for(host.user).post(
        reverse("events:program-item", kwargs={"slug": item.event.slug, "pk": item.pk}),
        {"upload": "1", "m-title": "Folien", "m-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgramMaterial.objects.exists()
    assert _stored_files(media) == []


@pytest.mark.django_db
def test_a_real_pdf_is_stored_so_the_refusals_above_can_fail(media):
    host = MembershipFactory(editor=True)
    item = ProgramItemFactory(event=EventFactory(hosts=[host.organization]))
    client_for(host.user).post(
        reverse("events:program-item", kwargs={"slug": item.event.slug, "pk": item.pk}),
        {"upload": "1", "m-title": "Folien", "m-file": SimpleUploadedFile("f.pdf", PDF)},
    )
    assert ProgramMaterial.objects.count() == 1
    assert len(_stored_files(media)) == 1


def _zip_bomb_xlsx() -> bytes:
    """A small workbook whose parts unpack to 60 MB (zeros compress about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(60):
                sheet.write(chunk)
    return buffer.getvalue()


IMPORT_REFUSALS = [
    pytest.param("projekte.xlsx", EXE, "weder eine CSV-Datei", id="exe-as-xlsx"),
    pytest.param(
        "projekte.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "weder eine CSV", id="png-as-csv"
    ),
    pytest.param("projekte.xlsx", _zip_bomb_xlsx(), "Arbeitsmappe ist zu groß", id="zip-bomb"),
    pytest.param("projekte.csv", b"a;b\n" * 600_000, "höchstens 2 MB", id="over-2-mb"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), IMPORT_REFUSALS)
def test_project_imports_are_refused_by_content_and_size(media, name, content, message):
    editor = MembershipFactory(editor=True)
    response = client_for(editor.user).post(
        reverse("projects:import"),
        {"organization": editor.organization.pk, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()
    assert _stored_files(media) == []


def _uploaded_attachment(editor):
    project = ProjectFactory(owner=editor.organization)
    client_for(editor.user).post(
        reverse("projects:attachments", kwargs={"slug": project.slug}),
        {"a-title": "Folien", "a-file": SimpleUploadedFile("f.pdf", PDF)},
    )
    return ProjectAttachment.objects.get()


def _uploaded_material(host):
    item = ProgramItemFactory(event=EventFactory(hosts=[host.organization]))
    client_for(host.user).post(
        reverse("events:program-item", kwargs={"slug": item.event.slug, "pk": item.pk}),
        {"upload": "1", "m-title": "Folien", "m-file": SimpleUploadedFile("f.pdf", PDF)},
    )
    return ProgramMaterial.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("admin_name", "upload"),
    [
        ("projects_projectattachment", _uploaded_attachment),
        ("events_programmaterial", _uploaded_material),
    ],
)
def test_the_admin_cannot_bypass_the_upload_checks(media, admin_name, upload):
    """Files come in only through the checking upload pages: the admin shows them, but
    neither adds nor replaces them."""
    stored = upload(MembershipFactory(editor=True))
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:{admin_name}_add")).status_code == 403
    change = client.get(reverse(f"admin:{admin_name}_change", args=[stored.pk]))
    assert change.status_code == 200
    assert 'type="file"' not in change.content.decode()


# --- No user-controlled redirects --------------------------------------------------------------

EVIL_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "https:evil.example",
    "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
]


def _assert_local(response, *, fallback: str | None = None):
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    parts = urlsplit(location)
    # A path on this host; whatever a query string carries along is not a target.
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in parts.path, location
    if fallback is not None:
        assert parts.path == fallback, location


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_ignores_a_foreign_next(target):
    person = UserFactory()
    client = Client()
    response = client.post(
        reverse("account_login") + "?" + _query(next=target),
        {"login": person.email, "password": PASSWORD, "next": target},
    )
    assert _signed_in(client)
    _assert_local(response, fallback=reverse("accounts:dashboard"))


@pytest.mark.django_db
def test_login_follows_a_local_next_so_the_test_above_can_fail():
    person = UserFactory()
    response = Client().post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD, "next": "/projekte/"},
    )
    assert response["Location"] == "/projekte/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_admin_login_ignores_a_foreign_next(target):
    response = Client().get(reverse("admin:login") + "?" + _query(next=target))
    _assert_local(response)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    response = Client().post(
        response["Location"], {"login": superuser.email, "password": PASSWORD, "next": target}
    )
    _assert_local(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_logout_ignores_a_foreign_next(target):
    client = client_for(UserFactory())
    response = client.post(reverse("account_logout"), {"next": target})
    assert not _signed_in(client)
    _assert_local(response, fallback="/")


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_reauthentication_ignores_a_foreign_next(target):
    client = client_for(UserFactory())
    response = client.post(
        reverse("account_reauthenticate") + "?" + _query(next=target),
        {"password": PASSWORD, "next": target},
    )
    _assert_local(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_language_switch_ignores_a_foreign_next_and_referer(target):
    client = Client()
    response = client.post(
        reverse("set_language"), {"language": "en", "next": target}, HTTP_REFERER=target
    )
    _assert_local(response, fallback="/")
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("set_language") + "?" + _query(next=target))
    _assert_local(response, fallback="/")


def test_language_switch_returns_to_the_local_page():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/projekte/"})
    assert response["Location"] == "/projekte/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_opening_a_notification_never_leaves_the_platform(target):
    from initiativek.core.models import Notification

    person = UserFactory()
    # Stored directly, as an old or imported row might be: the view checks again.
    notification = Notification.objects.create(user=person, text="Neu", url=target)
    response = client_for(person).get(
        reverse("accounts:notification-open", kwargs={"pk": notification.pk})
    )
    _assert_local(response, fallback=reverse("accounts:notifications"))


def _query(**params) -> str:
    return urlencode(params)


# --- Production: headers, cookies, check --deploy ----------------------------------------------

PRODUCTION_PROBE = """
import json, django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from django.test import Client
from tests.accounts.factories import PASSWORD, UserFactory

https = {"HTTP_HOST": "plattform.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
answers = {}

def keep(name, response):
    answers[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            key: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                  "samesite": m["samesite"]}
            for key, m in response.cookies.items()
        },
    }

client = Client()
keep("plain_http", client.get("/", HTTP_HOST="plattform.example.org"))
keep("home", client.get("/", **https))
keep("login_page", client.get("/konto/login/", **https))
person = UserFactory()
keep("login", client.post("/konto/login/", {"login": person.email, "password": PASSWORD}, **https))
keep("language", client.post("/i18n/setlang/", {"language": "en", "next": "/"}, **https))
from django.conf import settings
answers["settings"] = {
    "middleware": settings.MIDDLEWARE,
    "trusted_proxy_count": getattr(settings, "TRUSTED_PROXY_COUNT", 0),
}
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Answers of the platform started with the production settings (own process: settings
    can't be swapped inside this one), on an empty SQLite database in a temporary folder."""
    var = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "DATABASE_", "REDIS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "plattform.example.org",
            "SITE_URL": "https://plattform.example.org",
            "VAR_DIR": str(var),
            # Headers are under test, not the static files' manifest (built by make install).
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_production_sends_plain_http_to_https(production):
    answer = production["plain_http"]
    assert answer["status"] == 301
    assert answer["headers"]["Location"].startswith("https://plattform.example.org/")


def test_production_pages_carry_a_strict_content_security_policy(production):
    for name in ("home", "login_page"):
        headers = production[name]["headers"]
        assert production[name]["status"] == 200, name
        policy = _directives(headers["Content-Security-Policy"])
        scripts = policy.get("script-src", policy["default-src"])
        assert scripts == ["'self'"], scripts
        for directive in ("script-src", "style-src", "default-src"):
            values = " ".join(policy.get(directive, []))
            assert "unsafe-inline" not in values and "unsafe-eval" not in values, directive
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]


def test_production_pages_carry_hsts_and_the_other_security_headers(production):
    headers = production["home"]["headers"]
    hsts = [item.strip() for item in headers["Strict-Transport-Security"].split(";")]
    assert hsts[0].startswith("max-age=")
    assert int(hsts[0].removeprefix("max-age=")) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure_httponly_and_samesite(production):
    cookies = {
        "csrftoken": production["login_page"]["cookies"]["csrftoken"],
        "sessionid": production["login"]["cookies"]["sessionid"],
        "django_language": production["language"]["cookies"]["django_language"],
    }
    assert production["login"]["status"] == 302  # signed in: the session cookie is real
    for name, cookie in cookies.items():
        assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}, name


def test_production_rate_limits_see_the_clients_not_the_proxy(production):
    """Production runs behind a reverse proxy (BEHIND_PROXY): the client's address must be
    taken from X-Forwarded-For before any rate limit looks at it."""
    configured = production["settings"]
    assert configured["middleware"][0] == CLIENT_MIDDLEWARE
    assert configured["trusted_proxy_count"] == 1


def test_production_settings_pass_check_deploy_without_any_warning_or_silencing():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "plattform.example.org",
            "SITE_URL": "https://plattform.example.org",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# --- Templates fit for the strict CSP -----------------------------------------------------------

# E-mails are not served under the CSP, and mail programs need inline styles.
TEMPLATE_FOLDERS_WITHOUT_CSP = {"mail"}


def _page_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in TEMPLATE_FOLDERS_WITHOUT_CSP
    )


def test_there_are_templates_to_scan():
    assert len(_page_templates()) > 50


@pytest.mark.parametrize(
    "path", _page_templates(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_templates_have_no_inline_scripts_styles_or_handlers(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script src="/static/a.js">alert(1)</script>',
        '<div style="color: red">',
        '<button type="button" onclick="go()">',
        "<style>body { color: red }</style>",
        '<a href="javascript:alert(1)">',
        "<IMG SRC=x ONERROR=alert(1)>",
    ],
)
def test_the_scan_finds_inline_code(html):
    assert inline_code(html) != []


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/print.js" defer></script>',
        '<script type="application/ld+json">{"@type": "Event"}</script>',
        '<p class="stylish" data-online="1">Gestyltes onboarding</p>',
    ],
)
def test_the_scan_allows_script_files_and_data(html):
    assert inline_code(html) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("198.51.100.1", "198.51.100.1"),
        ("203.0.113.9, 198.51.100.1", "198.51.100.1"),
        ("198.51.100.1:51234", "198.51.100.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unbekannt", ""),
        ("", ""),
    ],
)
def test_the_forwarded_address_is_read_with_or_without_port(header, expected):
    from initiativek.core.middleware import _forwarded_address

    assert _forwarded_address(header, 1) == expected
