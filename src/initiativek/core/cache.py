"""A Redis cache that keeps the platform serving while Redis is unreachable.

``ResilientRedisCache`` is Django's ``RedisCache`` with one difference: when the connection to
Redis fails or times out, an operation answers like an empty cache instead of raising – reads
miss, writes are dropped, ``incr``/``decr`` raise ``ValueError`` as for a missing key – and a
warning is logged at most once a minute per process. After a failure Redis is left alone for
``reconnect_after`` seconds, so a dead server costs one short timeout every few seconds, not one
per cache call. Short socket timeouts (``socket_connect_timeout``, ``socket_timeout``) are set by
default.

What callers get while Redis is down:

- ``add`` answers True ("stored"), as Django's ``DummyCache`` does: allauth's rate limits take a
  lock with ``add`` and would refuse every sign-in with "too many attempts" otherwise, and the
  project import claim would refuse every import. The price: those locks, allauth's replay
  protection of one-time codes and all rate limits (``core.services.rate_limit_exceeded``,
  allauth, API throttling) don't hold until Redis is back – they fail open, and the warning says
  so.
- Keys that were to be set or deleted while Redis was down are remembered (up to
  ``MAX_REMEMBERED_KEYS`` per process) and deleted once it answers again, so that, e.g., a
  session ended during the outage can't come back from the cache with its old content.

Options (``CACHES[…]["OPTIONS"]``): ``reconnect_after`` and ``log_every`` (seconds) besides the
options of the Redis connection pool.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_exceptions

logger = logging.getLogger(__name__)

# Connection refused or reset, DNS failure, timeouts (redis-py wraps most of them; OSError for
# the rest). Errors Redis itself answers with (wrong type, out of memory) still raise.
UNAVAILABLE_ERRORS = (
    redis_exceptions.ConnectionError,
    redis_exceptions.TimeoutError,
    OSError,
)
DEFAULT_CONNECT_TIMEOUT = 0.25
DEFAULT_SOCKET_TIMEOUT = 0.5
DEFAULT_RECONNECT_AFTER = 5.0
DEFAULT_LOG_EVERY = 60.0
MAX_REMEMBERED_KEYS = 10_000

_UNAVAILABLE = object()


class RedisHealth:
    """What one process knows about one Redis server: shared by the threads' cache objects."""

    def __init__(
        self, *, name: str, reconnect_after: float, log_every: float, clock=time.monotonic
    ):
        self.name = name
        self.reconnect_after = reconnect_after
        self.log_every = log_every
        self.clock = clock
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.logged_at: float | None = None
        self.fallbacks = 0  # operations answered without Redis since the last warning
        self.stale_keys: set[str] = set()
        self.forgotten = 0  # stale keys beyond MAX_REMEMBERED_KEYS
        self._lock = threading.Lock()

    def may_try(self) -> bool:
        return self.down_since is None or self.clock() >= self.retry_at

    def skipped(self, written: Iterable[str]) -> None:
        with self._lock:
            self.fallbacks += 1
            self._remember(written)

    def failed(self, exc: BaseException, written: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            self.fallbacks += 1
            self._remember(written)
            if self.down_since is None:
                self.down_since = now
            self.retry_at = now + self.reconnect_after
            if self.logged_at is not None and now - self.logged_at < self.log_every:
                return
            self.logged_at, fallbacks, self.fallbacks = now, self.fallbacks, 0
        logger.warning(
            "Cache %s unreachable (%s: %s); %d cache operation(s) answered without it. The "
            "platform serves without cache; rate limits are not enforced until it is back.",
            self.name,
            type(exc).__name__,
            exc,
            fallbacks,
        )

    def answered(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:  # another thread saw the recovery first
                return
            down_for, self.down_since = self.clock() - self.down_since, None
            self.logged_at, self.fallbacks = None, 0
            forgotten, self.forgotten = self.forgotten, 0
        logger.info("Cache %s reachable again after %.0f s.", self.name, down_for)
        if forgotten:
            logger.warning(
                "%d cache key(s) written during the outage weren't remembered; they may be "
                "stale until they expire.",
                forgotten,
            )

    def take_stale_keys(self) -> list[str]:
        with self._lock:
            keys, self.stale_keys = list(self.stale_keys), set()
        return keys

    def give_back_stale_keys(self, keys: list[str]) -> None:
        with self._lock:
            self._remember(keys)

    def _remember(self, keys: Iterable[str]) -> None:
        for key in keys:
            if len(self.stale_keys) < MAX_REMEMBERED_KEYS:
                self.stale_keys.add(key)
            else:
                self.forgotten += 1


_health: dict[tuple[str, ...], RedisHealth] = {}
_health_lock = threading.Lock()


def _display_name(servers: list[str]) -> str:
    """The servers without user name, password or query, for log lines."""
    parts = [urlsplit(server) for server in servers]
    return ",".join(part.netloc.rpartition("@")[2] or part.path for part in parts)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that falls back to cache misses while Redis is unreachable (see module)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        reconnect_after = float(options.pop("reconnect_after", DEFAULT_RECONNECT_AFTER))
        log_every = float(options.pop("log_every", DEFAULT_LOG_EVERY))
        options.setdefault("socket_connect_timeout", DEFAULT_CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        servers = tuple(self._servers)
        with _health_lock:
            if servers not in _health:
                _health[servers] = RedisHealth(
                    name=_display_name(list(servers)),
                    reconnect_after=reconnect_after,
                    log_every=log_every,
                )
            self.health = _health[servers]

    def _run(self, fallback: Any, operation: Callable[[], Any], written: Iterable[str] = ()):
        """``operation()``, or ``fallback`` if Redis is unreachable or paused after a failure.

        ``written`` are the (full) keys the operation sets or deletes: if it can't, they are
        deleted once Redis answers again.
        """
        health = self.health
        if not health.may_try():
            health.skipped(written)
            return fallback
        try:
            self._delete_stale_keys()
            result = operation()
        except UNAVAILABLE_ERRORS as exc:
            health.failed(exc, written)
            return fallback
        health.answered()
        return result

    def _delete_stale_keys(self) -> None:
        if not self.health.stale_keys:
            return
        keys = self.health.take_stale_keys()
        if not keys:
            return
        try:
            self._cache.delete_many(keys)
        except UNAVAILABLE_ERRORS:
            self.health.give_back_stale_keys(keys)
            raise

    def _key(self, key, version=None) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(True, partial(RedisCache.add, self, key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._run(default, partial(RedisCache.get, self, key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        operation = partial(RedisCache.set, self, key, value, timeout, version)
        return self._run(None, operation, written=[self._key(key, version)])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(False, partial(RedisCache.touch, self, key, timeout, version))

    def delete(self, key, version=None):
        operation = partial(RedisCache.delete, self, key, version)
        return self._run(False, operation, written=[self._key(key, version)])

    def get_many(self, keys, version=None):
        return self._run({}, partial(RedisCache.get_many, self, keys, version))

    def has_key(self, key, version=None):
        return self._run(False, partial(RedisCache.has_key, self, key, version))

    def incr(self, key, delta=1, version=None):
        """Also ``decr`` (Django's ``decr`` calls ``incr``): a ``ValueError`` while Redis is
        unreachable, as for a missing key – callers already handle that."""
        result = self._run(_UNAVAILABLE, partial(RedisCache.incr, self, key, delta, version))
        if result is _UNAVAILABLE:
            raise ValueError(f"Key {key!r} not found: the cache is unreachable.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Returns the keys that weren't stored: all of them while Redis is unreachable."""
        operation = partial(RedisCache.set_many, self, data, timeout, version)
        return self._run(list(data), operation, written=[self._key(k, version) for k in data])

    def delete_many(self, keys, version=None):
        keys = list(keys)
        operation = partial(RedisCache.delete_many, self, keys, version)
        return self._run(None, operation, written=[self._key(k, version) for k in keys])

    def clear(self):
        return self._run(False, partial(RedisCache.clear, self))
