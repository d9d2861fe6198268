"""Production: secure defaults. SECRET_KEY, ALLOWED_HOSTS, SITE_URL and DATABASE_URL must come
from the environment; everything else has a safe default here."""

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
