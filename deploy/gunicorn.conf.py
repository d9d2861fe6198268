"""gunicorn settings for production.

    gunicorn -c deploy/gunicorn.conf.py initiativek.wsgi

Everything can be changed through environment variables, so one file serves every server:

- ``GUNICORN_BIND`` (default ``127.0.0.1:8001``; the reverse proxy forwards there), several
  addresses separated by commas.
- ``WEB_CONCURRENCY``: worker processes (default 2 × cores + 1). Each worker needs up to about
  200 MB; the database must allow workers × servers connections (``DATABASE_CONN_MAX_AGE``
  keeps one per worker open).
- ``GUNICORN_THREADS``: threads per worker (default 1: sync workers, the proxy buffers slow
  clients; above 1 gunicorn uses its threaded worker).
- ``GUNICORN_TIMEOUT`` (default 30 s; a request running longer is ended and its worker
  replaced), ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s), ``GUNICORN_KEEPALIVE`` (5 s).
- ``GUNICORN_MAX_REQUESTS`` (default 1000, 0 = never) and ``GUNICORN_MAX_REQUESTS_JITTER``
  (default 100): a worker is replaced after that many requests, so slowly growing memory is
  given back, and the jitter keeps all workers from restarting at once.
- ``GUNICORN_ACCESS_LOG`` (default ``-``: standard output; a file path; ``off`` for none) and
  ``GUNICORN_ERROR_LOG`` (default ``-``: standard error), ``GUNICORN_LOG_LEVEL`` (``info``).

The access log leaves out client addresses, user agents and query strings (the proxy's log, if
any, is where addresses are kept, for as short as the privacy notice says).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from None


def _default_workers() -> int:
    try:
        return 2 * multiprocessing.cpu_count() + 1
    except NotImplementedError:
        return 4


def _log_target(name: str, default: str) -> str | None:
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none", "0"} else value


wsgi_app = "initiativek.wsgi:application"
bind = [item.strip() for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")]

workers = _int("WEB_CONCURRENCY", _default_workers())
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Load the application once in the master: workers start faster and share the imported code.
# Django opens database connections lazily, so none is opened before the fork.
preload_app = True

# The heartbeat file of each worker: on tmpfs, a slow or full disk cannot stall the workers
# (gunicorn's own advice; only gunicorn writes there, no data of the platform).
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Protect the workers from oversized request lines and headers (the proxy limits bodies).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = _log_target("GUNICORN_ACCESS_LOG", "-")
errorlog = _log_target("GUNICORN_ERROR_LOG", "-") or "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, method, path (no query string), status, bytes, duration in ms.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "initiativek"
