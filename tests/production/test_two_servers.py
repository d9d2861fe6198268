"""Two application servers behind one database share sessions, cache and data (issue 9, item 4).

Two gunicorn processes with the production settings (``initiativek.conf.production``, with
``deploy/gunicorn.conf.py`` when it exists) run on loopback against ONE PostgreSQL database –
pytest's test database – and ONE Redis, as two machines behind a load balancer would. One
"browser" keeps its cookies across both, as it would behind one host name; requests carry the
headers nginx sets (``deploy/nginx/initiativek.conf``): ``Host``, ``X-Forwarded-Proto: https``
and ``X-Forwarded-For``.

Skipped unless the tests run on PostgreSQL and ``REDIS_URL`` answers (``.ci/run`` sets both in
its second run). Static files: a test checkout has no ``collectstatic`` manifest, so the
servers use the plain static files storage; everything else is the production configuration.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.db import connection

from tests.accounts.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
HOST = "plattform.test"
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
START_TIMEOUT = 90  # seconds; two servers start at once on a 2-core machine
SESSION_CACHE_KEY = "initiativek:1:django.contrib.sessions.cached_db{}"
TOO_MANY = "Zu viele gescheiterte Anmeldeversuche"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _redis_url() -> str:
    """``REDIS_URL`` if Redis answers there, else the test is skipped."""
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: two servers need a shared Redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        pytest.skip(f"Redis at REDIS_URL does not answer: {exc}")
    return url


def _test_database_url() -> str:
    """The URL of the database this test wrote to (pytest's test database)."""
    if connection.vendor != "postgresql":
        pytest.skip("two application servers need PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment(database_url: str, redis_url: str, var_dir: Path, secret: str) -> dict:
    """A clean production environment: nothing of the test run's ``ci`` defaults leaks in."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.production",
            "PYTHONPATH": str(ROOT / "src"),
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "VAR_DIR": str(var_dir),
            # No collectstatic manifest in a test checkout (see the module docstring).
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
    )
    return env


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _start(name: str, env: dict, log_dir: Path) -> Server:
    port = _free_port()
    log = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONFIG.exists():
        command += ["--config", str(GUNICORN_CONFIG)]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "initiativek.wsgi"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return Server(name, port, process, log)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server {server.name} exited:\n{server.log_tail()}")
        try:
            if Browser("192.0.2.1").get(server, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"server {server.name} not ready after {START_TIMEOUT} s:\n{server.log_tail()}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Servers A and B: same settings, same database, same Redis, separate processes; started
    once for the module (each test's data is committed, so they see it)."""
    database_url = _test_database_url()
    env = _server_environment(
        database_url, _redis_url(), tmp_path_factory.mktemp("var"), secrets.token_urlsafe(50)
    )
    log_dir = tmp_path_factory.mktemp("logs")
    started = [_start(name, env, log_dir) for name in ("A", "B")]
    try:
        for server in started:
            _wait_until_ready(server)
        yield started
    finally:
        # Before pytest flushes or drops the test database, which open connections would block.
        for server in started:
            _stop(server)


@dataclass
class Reply:
    status: int
    location: str
    body: str


@dataclass
class Browser:
    """One visitor with one cookie jar for both servers, behind the proxy at ``client_ip``."""

    client_ip: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: Server, path: str) -> Reply:
        return self._request(server, "GET", path)

    def post(self, server: Server, path: str, data: dict[str, str]) -> Reply:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self._request(server, "POST", path, urllib.parse.urlencode(form))

    def _request(self, server: Server, method: str, path: str, body: str | None = None) -> Reply:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_ip,
            "Accept-Language": "de",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        connection_ = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection_.request(method, path, body=body, headers=headers)
            response = connection_.getresponse()
            content = response.read().decode(errors="replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Reply(response.status, response.getheader("Location", ""), content)
        finally:
            connection_.close()

    def sign_in(self, server: Server, email: str, password: str) -> Reply:
        self.get(server, "/konto/login/")  # the CSRF cookie
        return self.post(server, "/konto/login/", {"login": email, "password": password})


def _person(**fields):
    """A verified user whose password the servers can check: the test run hashes with MD5
    (conf/ci.py), production only accepts its own hashers. Few iterations keep the test fast;
    the server upgrades the hash on sign-in. A fresh address per run: the failed sign-ins of
    an account are counted in Redis for five minutes, across test runs too."""
    fields.setdefault("email", f"zwei-server-{secrets.token_hex(6)}@example.org")
    user = UserFactory(**fields)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def _client_ip() -> str:
    """A fresh address per run: allauth also limits failed sign-ins per address (10 a minute),
    and the counters live on in Redis between runs."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def test_a_session_started_on_one_server_works_on_the_other(servers):
    a, b = servers
    user = _person(name="Erika Zweiserver")
    browser = Browser(_client_ip())

    signed_in = browser.sign_in(a, user.email, PASSWORD)
    assert signed_in.status == 302, signed_in.body[-2000:]
    assert signed_in.location.endswith("/mein-bereich/")

    dashboard = browser.get(b, "/mein-bereich/")
    assert dashboard.status == 200
    assert "Erika Zweiserver" in dashboard.body
    assert Browser(_client_ip()).get(b, "/mein-bereich/").status == 302  # no cookie: no entry

    # cached_db (conf/production.py): the session is in the database and in the shared cache.
    import redis

    session_key = browser.cookies["sessionid"]
    assert Session.objects.filter(session_key=session_key).exists()
    assert redis.Redis.from_url(os.environ["REDIS_URL"]).exists(
        SESSION_CACHE_KEY.format(session_key)
    )

    # Signing out on B ends the session on A, too.
    browser.post(b, "/konto/logout/", {})
    after = browser.get(a, "/mein-bereich/")
    assert after.status == 302
    assert "/konto/login/" in after.location


def test_failed_sign_ins_are_counted_across_both_servers(servers):
    """allauth allows 5 failed sign-ins per account in 5 minutes; the counter is in Redis.
    Three failures on A and two on B reach the limit – each process alone saw fewer."""
    a, b = servers
    user = _person()
    browser = Browser(_client_ip())

    for attempt in range(5):
        server = (a, b)[attempt % 2]
        failed = browser.sign_in(server, user.email, "falsches-Passwort-123")
        assert failed.status == 200, f"attempt {attempt + 1} on {server.name}"
        assert TOO_MANY not in failed.body, f"limited too early: attempt {attempt + 1}"

    refused = browser.sign_in(b, user.email, PASSWORD)  # even the right password, for now
    assert refused.status == 200
    assert TOO_MANY in refused.body
    assert "sessionid" not in browser.cookies


def test_a_change_saved_on_one_server_is_seen_on_the_other(servers):
    a, b = servers
    user = _person(name="Vorher Name", function="IT-Leitung")
    browser = Browser(_client_ip())
    assert browser.sign_in(b, user.email, PASSWORD).status == 302

    saved = browser.post(
        a,
        "/mein-bereich/profil/",
        {"name": "Nachher Name", "function": "Digitalisierung", "phone": ""},
    )
    assert saved.status == 302, saved.body[-2000:]

    profile = browser.get(b, "/mein-bereich/profil/")
    assert profile.status == 200
    assert 'value="Nachher Name"' in profile.body
    assert "Ihr Profil wurde gespeichert." in profile.body  # signed on A, read on B
    user.refresh_from_db()
    assert user.name == "Nachher Name"


def test_the_health_check_answers_load_balancers_over_plain_http(servers):
    """Load balancers ask each server directly: /healthz answers without the proxy's
    X-Forwarded-Proto, every other page still redirects to HTTPS."""
    for server in servers:
        connection_ = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection_.request("GET", "/healthz", headers={"Host": HOST})
            health = connection_.getresponse()
            assert (health.status, health.read()) == (200, b'{"status": "ok", "database": "ok"}')
            connection_.request("GET", "/projekte/", headers={"Host": HOST})
            page = connection_.getresponse()
            page.read()
            assert page.status == 301
            assert page.getheader("Location") == f"https://{HOST}/projekte/"
        finally:
            connection_.close()
