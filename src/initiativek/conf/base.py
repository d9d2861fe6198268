"""Settings shared by every environment.

Every environment variable the platform understands is read here and only here; ``dev``,
``ci`` and ``production`` merely set defaults before importing this module. The README lists
the variables.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _number_or_text(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value  # left for the app's validation, which names the bad entry


def env_mapping(name: str) -> dict[str, object]:
    """A JSON object (``{"text": 2.5}``) or ``name=value,name=value``; empty: ``{}``.

    Only the syntax is checked here; what the names and values mean is checked by the app
    that uses the setting when it starts.
    """
    value = env(name).strip()
    if not value:
        return {}
    if value.startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not a valid JSON object: {exc}") from exc
        if not isinstance(parsed, dict):
            raise ImproperlyConfigured(f"{name} must be a JSON object.")
        return parsed
    mapping: dict[str, object] = {}
    for item in value.split(","):
        key, sep, raw = item.partition("=")
        if not item.strip():
            continue
        if not sep or not key.strip():
            raise ImproperlyConfigured(
                f"{name}: entry {item.strip()!r} is not of the form name=value."
            )
        mapping[key.strip()] = _number_or_text(raw.strip())
    return mapping


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set (see README, 'Konfiguration').")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [SITE_URL]
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "initiativek.core",
    "initiativek.accounts",
    "initiativek.organizations",
    "initiativek.projects",
    "initiativek.events",
    "initiativek.surveys",
    "initiativek.cooperation",
    "initiativek.opendata",
    "initiativek.privacy",
]

MIDDLEWARE = [
    # First: every later step (rate limits, logs) sees the client's address, not the proxy's.
    "initiativek.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "initiativek.core.middleware.LanguageMiddleware",
    "initiativek.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "initiativek.accounts.mfa_required.MfaRequiredMiddleware",
]

ROOT_URLCONF = "initiativek.urls"
WSGI_APPLICATION = "initiativek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiativek.core.context_processors.platform",
            ],
        },
    },
]
FORM_RENDERER = "initiativek.core.forms.KernFormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (postgres://…) switches to PostgreSQL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL compiles queries above jit_above_cost with LLVM: for a web request that
        # cost 300–400 ms of compiling before 100 ms of work (benchmarks/README.md).
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # Writers serialize at BEGIN, so capacity checks cannot race (SPEC §5).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# With REDIS_URL the cache is shared by all processes. If Redis is unreachable the platform
# keeps serving without it (core/cache.py): cache misses, a warning in the log, rate limits not
# enforced until it is back. Short timeouts (milliseconds) keep a dead Redis from stalling pages.
REDIS_URL = env("REDIS_URL")
REDIS_CONNECT_TIMEOUT_MS = env_int("REDIS_CONNECT_TIMEOUT_MS", 250)
REDIS_TIMEOUT_MS = env_int("REDIS_TIMEOUT_MS", 500)
if REDIS_CONNECT_TIMEOUT_MS <= 0 or REDIS_TIMEOUT_MS <= 0:
    raise ImproperlyConfigured("REDIS_CONNECT_TIMEOUT_MS and REDIS_TIMEOUT_MS must be positive.")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "initiativek.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "initiativek",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_TIMEOUT_MS / 1000,
            },
        }
    }
else:
    # Per process. Room for the catalog's counts and the pages cached for visitors (a few KB
    # each): with Django's default of 300 entries, visitors' pages pushed out the counts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# --- Background tasks -----------------------------------------------------------------------
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_ADAPTER = "initiativek.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "initiativek.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Initiative K] "
# Tell people when their password, e-mail address or 2FA changes (a sign of a taken account).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Log-in throttling: allauth's rate limits (per IP and per account).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "initiativek.accounts.mfa_required.MfaAdapter"
# The team and organization admins must set up an authenticator app (accounts.mfa_required).
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
MFA_TOTP_ISSUER = "Initiative K"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale_overrides", PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
FORMAT_MODULE_PATH = ["initiativek.formats"]
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", SITE_URL.startswith("https"))
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Initiative K <noreply@initiative-k.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TEAM_EMAIL = env("TEAM_EMAIL", "team@initiative-k.example.org")
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)

# --- Security -------------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", SITE_URL.startswith("https"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies in front of the platform whose X-Forwarded-For entries are trusted
# (core.middleware.ClientAddressMiddleware).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY") else 0)
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Platform -------------------------------------------------------------------------------
FORMS_URLFIELD_ASSUME_HTTPS = True
PLATFORM_NAME = "Initiative K"
IMPRINT = {
    "operator": env("IMPRINT_OPERATOR", "Initiative K (Betrieb: Beispiel-Beratung GmbH)"),
    "address": env("IMPRINT_ADDRESS", "Musterstraße 1\n70173 Stuttgart"),
    "representative": env("IMPRINT_REPRESENTATIVE"),
    "email": env("IMPRINT_EMAIL", "kontakt@initiative-k.example.org"),
}
DIRECTORY_PAGE_SIZE = 25
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
EVENT_CONFIRMATION_HOURS = env_int("EVENT_CONFIRMATION_HOURS", 48)
EVENT_GUEST_REGISTRATIONS_PER_HOUR = env_int("EVENT_GUEST_REGISTRATIONS_PER_HOUR", 20)
# Results of the experience exchange: groups with fewer submitted responses aren't shown alone.
SURVEY_MIN_GROUP_SIZE = env_int("SURVEY_MIN_GROUP_SIZE", 3)
if SURVEY_MIN_GROUP_SIZE < 1:
    raise ImproperlyConfigured("SURVEY_MIN_GROUP_SIZE must be at least 1.")
# Cooperation exchange: closing statements of events that haven't become a proposal after this
# many weeks are listed for the team, and their organizations are reminded once.
COOPERATION_FOLLOWUP_WEEKS = env_int("COOPERATION_FOLLOWUP_WEEKS", 6)
if COOPERATION_FOLLOWUP_WEEKS < 1:
    raise ImproperlyConfigured("COOPERATION_FOLLOWUP_WEEKS must be at least 1.")
# Partner recommendations: weights of the matching signals by name (cooperation.matching
# .Weights); names left out keep the engine's default. Checked when the app starts.
COOPERATION_MATCH_WEIGHTS = env_mapping("COOPERATION_MATCH_WEIGHTS")

# --- REST API (/api/) -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "initiativek.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Read is public; every write view names the permission functions it needs.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["initiativek.api.parsers.LimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "initiativek.api.pagination.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "initiativek.api.throttling.ApiAnonRateThrottle",
        "initiativek.api.throttling.ApiUserRateThrottle",
    ],
    "EXCEPTION_HANDLER": "initiativek.api.exceptions.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "initiativek.api.schema.ProblemAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Who the client is for rate limits: 0 = the connection's address (X-Forwarded-For, which
    # clients can forge, is ignored); behind a reverse proxy that appends the client's address,
    # set API_NUM_PROXIES to the number of proxies.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
# Requests per client and period ("60/min", "1000/hour"); see api/throttling.py.
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON", "60/min"),
    "user": env("API_THROTTLE_USER", "600/min"),
}
API_MAX_REQUEST_BYTES = env_int("API_MAX_REQUEST_BYTES", 1_000_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "Initiative K – API",
    "DESCRIPTION": (
        "Öffentliche Daten der Initiative K (Organisationen, Gebiete, Themen, Ziele, Projekte, "
        "Veranstaltungen) und Schreibzugriff mit persönlichem API-Schlüssel. Listen: "
        "?seite=N&pro_seite=N (höchstens 100). Fehler: RFC 9457 (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or "status"; name their enums after the choice classes.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "initiativek.organizations.constants.OrganizationKind",
        "ProgramKindEnum": "initiativek.events.constants.ProgramKind",
        "ProjectStatusEnum": "initiativek.projects.constants.ProjectStatus",
        "EventStatusEnum": "initiativek.events.constants.EventStatus",
        "VisibilityEnum": "initiativek.organizations.constants.Visibility",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Privacy --------------------------------------------------------------------------------
# Days after an event's end until its participants' personal data (name, e-mail address,
# accessibility needs) is anonymized by ``event_housekeeping``; counts, organizations and
# attendance stay. 0: right after the event.
EVENT_PARTICIPANT_RETENTION_DAYS = env_int("EVENT_PARTICIPANT_RETENTION_DAYS", 90)
if EVENT_PARTICIPANT_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("EVENT_PARTICIPANT_RETENTION_DAYS must not be negative.")
# Days the outbox keeps sent (or finally failed) mails with their recipients and texts.
MAIL_RETENTION_DAYS = env_int("MAIL_RETENTION_DAYS", 90)
if MAIL_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("MAIL_RETENTION_DAYS must be at least 1.")
