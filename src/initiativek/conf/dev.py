"""Local development: SQLite, console mail unless EMAIL_HOST is set, DEBUG on."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# The demo logins work without an authenticator app; set MFA_REQUIRED=1 to try the rule.
os.environ.setdefault("MFA_REQUIRED", "0")

from .base import *
