"""The platform keeps serving while the cache (Redis) is down (issue 8, item 5).

"Down" is a Redis URL on a loopback port that refuses every connection, so no test here needs
Redis – except ``test_works_normally_with_a_real_redis``, which is skipped when nothing
answers on 127.0.0.1:6379.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.urls import reverse
from redis import exceptions as redis_exceptions

from initiativek.conf.base import ACCOUNT_RATE_LIMITS  # production values; ci.py turns them off
from initiativek.core import cache as cache_module
from initiativek.core.cache import ResilientRedisCache
from initiativek.core.services import rate_limit_exceeded
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory
from tests.surveys.test_results import build_survey

BACKEND = "initiativek.core.cache.ResilientRedisCache"


@pytest.fixture(autouse=True)
def _fresh_health(monkeypatch):
    """Each test starts with nothing known about any Redis server."""
    monkeypatch.setattr(cache_module, "_health", {})


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _backend(location: str, **options) -> ResilientRedisCache:
    return ResilientRedisCache(location, {"KEY_PREFIX": "test", "OPTIONS": options})


@pytest.fixture
def redis_down(closed_port) -> str:
    return f"redis://127.0.0.1:{closed_port}/0"


def _warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "initiativek.core.cache" and record.levelno == logging.WARNING
    ]


# --- The backend against a Redis that refuses connections ------------------------------------

OPERATIONS = {
    "get": (lambda c: c.get("k", "fallback"), "fallback"),
    "get_many": (lambda c: c.get_many(["a", "b"]), {}),
    "set": (lambda c: c.set("k", 1), None),
    "set_many": (lambda c: c.set_many({"a": 1, "b": 2}), ["a", "b"]),
    "add": (lambda c: c.add("k", 1), True),
    "delete": (lambda c: c.delete("k"), False),
    "delete_many": (lambda c: c.delete_many(["a", "b"]), None),
    "touch": (lambda c: c.touch("k", 10), False),
    "has_key": (lambda c: c.has_key("k"), False),
    "clear": (lambda c: c.clear(), False),
    "get_or_set": (lambda c: c.get_or_set("k", lambda: "computed"), "computed"),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_answers_like_an_empty_cache_and_warns(redis_down, caplog, name):
    operation, fallback = OPERATIONS[name]
    with caplog.at_level(logging.WARNING, logger="initiativek.core.cache"):
        assert operation(_backend(redis_down)) == fallback
    (warning,) = _warnings(caplog)
    assert "unreachable (ConnectionError" in warning


@pytest.mark.parametrize("name", ["incr", "decr"])
def test_counting_raises_value_error_like_a_missing_key(redis_down, caplog, name):
    with caplog.at_level(logging.WARNING), pytest.raises(ValueError, match="not found"):
        getattr(_backend(redis_down), name)("k")
    assert len(_warnings(caplog)) == 1


def test_short_timeouts_are_passed_to_the_redis_client(redis_down):
    pool = _backend(redis_down)._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
    assert pool.connection_kwargs["socket_timeout"] == 0.5
    configured = _backend(redis_down, socket_connect_timeout=0.1, socket_timeout=0.3)
    pool = configured._cache._get_connection_pool(write=True)
    assert (
        pool.connection_kwargs["socket_connect_timeout"],
        pool.connection_kwargs["socket_timeout"],
    ) == (0.1, 0.3)
    assert "reconnect_after" not in pool.connection_kwargs  # ours, not the client's


def test_settings_use_the_resilient_backend_with_the_timeouts_from_the_environment():
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache;"
        "kwargs = cache._cache._get_connection_pool(True).connection_kwargs;"
        "print(json.dumps([settings.CACHES['default']['BACKEND'],"
        " kwargs['socket_connect_timeout'], kwargs['socket_timeout']]))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "DJANGO_SETTINGS_MODULE": "initiativek.conf.ci",
        "REDIS_URL": "redis://redis.invalid:6379/0",  # never connected to here
        "REDIS_CONNECT_TIMEOUT_MS": "150",
        "REDIS_TIMEOUT_MS": "400",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [BACKEND, 0.15, 0.4]


def test_after_a_failure_redis_is_left_alone_for_a_while(redis_down, caplog):
    backend = _backend(redis_down, reconnect_after=5)
    backend.health.clock = clock = Clock()
    attempts = []
    real_get_client = backend._cache.get_client

    def counting_get_client(*args, **kwargs):
        attempts.append(1)
        return real_get_client(*args, **kwargs)

    backend._cache.get_client = counting_get_client
    with caplog.at_level(logging.WARNING):
        for _ in range(20):
            assert backend.get("k") is None
        assert len(attempts) == 1  # one refused connection, then straight to the fallback
        clock.now += 5
        assert backend.get("k") is None
    assert len(attempts) == 2
    assert len(_warnings(caplog)) == 1


def test_the_warning_is_repeated_at_most_once_a_minute(redis_down, caplog):
    backend = _backend(redis_down, reconnect_after=0)  # every call really tries
    backend.health.clock = clock = Clock()
    with caplog.at_level(logging.WARNING):
        for _ in range(50):
            backend.set("k", 1)
        clock.now += 30
        backend.set("k", 1)
        assert len(_warnings(caplog)) == 1
        clock.now += 31
        backend.set("k", 1)
    first, second = _warnings(caplog)
    assert "1 cache operation(s) answered without it" in first
    assert "51 cache operation(s) answered without it" in second


def test_password_in_the_redis_url_is_not_logged(closed_port, caplog):
    backend = _backend(f"redis://user:geheim@127.0.0.1:{closed_port}/0")
    with caplog.at_level(logging.WARNING):
        backend.get("k")
    (warning,) = _warnings(caplog)
    assert f"127.0.0.1:{closed_port}" in warning
    assert "geheim" not in warning


# --- Coming back: what was written during the outage doesn't come back stale -----------------


class FlakyRedis:
    """Django's Redis client protocol on a dict; ``down`` makes every call fail like a
    refused connection."""

    def __init__(self):
        self.data: dict[str, object] = {}
        self.down = False

    def _check(self):
        if self.down:
            raise redis_exceptions.ConnectionError("Connection refused.")

    def get(self, key, default):
        self._check()
        return self.data.get(key, default)

    def set(self, key, value, timeout):
        self._check()
        self.data[key] = value

    def delete(self, key):
        self._check()
        return self.data.pop(key, None) is not None

    def delete_many(self, keys):
        self._check()
        for key in keys:
            self.data.pop(key, None)


def test_keys_written_during_the_outage_are_deleted_when_redis_is_back(redis_down, caplog):
    backend = _backend(redis_down, reconnect_after=5)
    backend.health.clock = clock = Clock()
    backend._cache = redis = FlakyRedis()
    backend.set("session-a", {"user": 1})
    backend.set("results", "old")

    redis.down = True
    assert backend.delete("session-a") is False  # e.g. a log-out during the outage
    backend.set("results", "new")
    assert redis.data  # Redis still holds what it had before

    redis.down = False
    clock.now += 5
    with caplog.at_level(logging.INFO, logger="initiativek.core.cache"):
        assert backend.get("session-a") is None  # not the old session again
    assert backend.get("results") is None  # a miss, not the old value
    assert redis.data == {}
    assert any("reachable again" in record.getMessage() for record in caplog.records)


# --- Callers of the cache -----------------------------------------------------------------


@pytest.fixture
def cache_down(settings, redis_down):
    settings.CACHES = {
        "default": {"BACKEND": BACKEND, "LOCATION": redis_down, "KEY_PREFIX": "initiativek"}
    }


def test_rate_limits_fail_open_while_the_cache_is_down(cache_down):
    results = [rate_limit_exceeded(key="x", limit=1, period_seconds=60) for _ in range(3)]
    assert results == [False, False, False]


def test_allauth_rate_limit_lets_the_request_through(settings, cache_down, rf):
    from allauth.core import ratelimit

    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS
    request = rf.post("/konto/login/")
    request.user = UserFactory.build()
    assert ratelimit.consume(request, action="login", key="person@example.org") is True


# --- Pages with the cache down ----------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_and_guest_registration_work_while_the_cache_is_down(
    client, settings, cache_down, caplog
):
    settings.EVENT_GUEST_REGISTRATIONS_PER_HOUR = 20
    project = ProjectFactory(title="Digitale Bauakte")
    event = EventFactory(title="Erfahrungsaustausch Cloud")
    with caplog.at_level(logging.WARNING, logger="initiativek.core.cache"):
        assert client.get(reverse("core:home")).status_code == 200
        catalog = client.get(reverse("projects:catalog"))
        assert "Digitale Bauakte" in catalog.content.decode()
        assert "Digitale Bauakte" in client.get(project.get_absolute_url()).content.decode()
        assert "Erfahrungsaustausch Cloud" in client.get(event.get_absolute_url()).content.decode()
        registration = client.post(
            reverse("events:register", kwargs={"slug": event.slug}),
            {
                "r-name": "Gabi Gast",
                "r-email": "gabi@example.org",
                "r-organization_name": "Stadtwerke Beispiel",
                "r-mode": "online",
                "r-privacy": "on",
            },
            follow=True,
        )
    assert registration.redirect_chain == [(event.get_absolute_url(), 302)]
    assert "Bitte bestätigen Sie Ihre Anmeldung" in registration.content.decode()
    assert event.registrations.get().email == "gabi@example.org"
    assert _warnings(caplog)  # the registration's rate limit found the cache down


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_sign_in_works_and_holds_while_the_cache_is_down(client, settings, cache_down, engine):
    """Sessions live in the database (``cached_db`` reads them from there on a miss); a purely
    cache-based session engine would lose every sign-in while Redis is down."""
    settings.SESSION_ENGINE = engine
    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS
    user = UserFactory(email="it@example.org")
    response = client.post(
        reverse("account_login"), {"login": "it@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_api_and_survey_results_work_while_the_cache_is_down(settings, cache_down):
    settings.API_THROTTLE_RATES = {"anon": "1/min", "user": "1/min"}
    ProjectFactory(title="Digitale Bauakte")
    api = client_for(UserFactory())
    for _ in range(2):  # throttling fails open rather than refusing everybody
        response = api.get(reverse("api:project-list"))
        assert response.status_code == 200
    assert "Digitale Bauakte" in response.content.decode()

    survey = build_survey()
    member = client_for(MembershipFactory(organization=OrganizationFactory()).user)
    results = member.get(reverse("surveys:results", kwargs={"slug": survey.questionnaire.slug}))
    assert results.status_code == 200
    assert "4 Organisationen haben ihren Antwortbogen abgeschickt." in results.content.decode()


# --- With a real Redis --------------------------------------------------------------------


def _redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_works_normally_with_a_real_redis(caplog):
    if not _redis_answers():
        pytest.skip("no Redis answering on 127.0.0.1:6379")
    backend = ResilientRedisCache(
        "redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"initiativek-test-{uuid.uuid4().hex}"}
    )
    try:
        with caplog.at_level(logging.WARNING, logger="initiativek.core.cache"):
            assert backend.add("k", "erster Wert") is True
            assert backend.add("k", "zweiter Wert") is False
            assert backend.get("k") == "erster Wert"
            backend.set_many({"a": 1, "b": {"ä": [1, 2]}})
            assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": {"ä": [1, 2]}}
            assert backend.incr("a") == 2
            assert backend.has_key("b")
            assert backend.delete("k") is True
            assert backend.get("k", "weg") == "weg"
        assert _warnings(caplog) == []
    finally:
        backend.delete_many(["k", "a", "b"])
