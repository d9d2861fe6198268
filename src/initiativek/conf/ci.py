"""Test runs: fast hashing, in-memory mail, tasks run immediately."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "ci-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("EVENT_GUEST_REGISTRATIONS_PER_HOUR", "100000")
# Tests switch the 2FA requirement on where they test it.
os.environ.setdefault("MFA_REQUIRED", "0")

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_RATE_LIMITS = False

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that concurrency tests can use several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
