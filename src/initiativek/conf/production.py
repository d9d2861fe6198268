"""Production: secure defaults. SECRET_KEY, ALLOWED_HOSTS, SITE_URL and DATABASE_URL must come
from the environment; everything else has a safe default here (docs/operators.md)."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_COOKIES", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "1")
os.environ.setdefault("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
os.environ.setdefault("SECURE_HSTS_PRELOAD", "1")
os.environ.setdefault("BEHIND_PROXY", "1")

from .base import *

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

# The CSRF token travels in the forms; no script reads the cookie, so scripts may not either.
CSRF_COOKIE_HTTPONLY = True
# Load balancers and monitoring ask each application server directly over plain HTTP; the
# health check answers them instead of redirecting to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Database -------------------------------------------------------------------------------
# Persistent connections (DATABASE_CONN_MAX_AGE, base.py) are checked before reuse, so a
# restarted PostgreSQL costs one failed ping instead of one failed request. A database that
# doesn't answer fails fast: /healthz reports 503 within seconds instead of hanging a worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# --- Sessions -------------------------------------------------------------------------------
# With a shared Redis, sessions are read from the cache and written through to the database:
# every application server sees every session, a request rarely reads the session table, and
# a Redis outage or flush signs nobody out (the database copy stays authoritative). The pure
# cache engine would lose every session with Redis.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Uploaded files -------------------------------------------------------------------------
# Uploads are served only through the permission-checking views, never by the web server:
# readable by the service's user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
