"""Settings of the bare comparison site (benchmarks only; never deployed)."""

from pathlib import Path

DEBUG = False
SECRET_KEY = "bench-only-bare-site-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
# Django's security and common middleware only: what even a tiny Django site runs.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "benchmarks.bare_site.urls"
WSGI_APPLICATION = "benchmarks.bare_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
LOGGING_CONFIG = None
