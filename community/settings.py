"""Nastavnik settings: one file, driven by environment variables.

Every variable is read through a small typed helper, so that a bad value fails at
start-up with an ImproperlyConfigured that names the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except Exception as exc:  # dj_database_url raises several types for one mistake
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets the daphne server read while a management command writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL;",
            "timeout": 20,
            # Take the write lock when a transaction begins: a deferred one that reads and
            # then writes fails at once with "database is locked" under concurrent requests.
            "transaction_mode": "IMMEDIATE",
        }
    elif config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must use sqlite:// or postgres://")
    return config


def email_from_url(url: str) -> dict:
    """EMAIL_URL: console://, locmem://, file:///path or smtp[+tls|+ssl]://user:pass@host:port."""
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(sorted(backends))}; got {url!r}"
        )
    config: dict = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme == "file":
        config["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {url!r}") from None
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL needs a host: {url!r}")
        config.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or (465 if parts.scheme == "smtp+ssl" else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
        )
        timeout = parse_qs(parts.query).get("timeout", ["10"])[0]
        if not timeout.isdigit():
            raise ImproperlyConfigured(f"EMAIL_URL timeout must be whole seconds: {url!r}")
        config["EMAIL_TIMEOUT"] = int(timeout)
    return config


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "community.admin_config.CommunityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "community",
    "community.background",
    "community.mailer",
    "community.realtime",
    "community.notifications",
    "community.attachments",
    "profiles",
    "forum",
    "chat",
    "knowledge",
    "mentoring",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "community.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.RateLimitedMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "community.urls"
ASGI_APPLICATION = "community.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.notifications.context_processors.notifications",
                "community.context_processors.csp_nonce",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

VAR_DIR = BASE_DIR / "var"
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'nastavnik.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "profiles.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis:// or rediss://; got {REDIS_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nastavnik",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels_redis waits for a socket's events in a 5 s BZPOPMIN; redis-py's
            # default read timeout is also 5 s and fires first, killing an idle socket's
            # consumer every 5 s. Reading for longer lets the wait end normally.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 10}],
                "prefix": "nastavnik",
                # Events queued for one socket before the layer drops new ones; a
                # client that misses some catches up from its cursor.
                "capacity": env_int("CHANNEL_LAYER_CAPACITY", 100, minimum=1),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "community.realtime.layers.InMemoryChannelLayer"}}
# Where a worker sends its live events when the layer is in the web server's memory
# (community/realtime/relay.py): make run's daphne unless told otherwise.
REALTIME_RELAY_URL = os.environ.get(
    "REALTIME_RELAY_URL", "" if REDIS_URL else "http://127.0.0.1:8000"
)

# --- Accounts ---------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "profiles.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "profiles.adapters.AccountAdapter"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none")
if not DEBUG and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory when DEBUG is off")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Наставник] "
# allauth's defaults, spelled out so that they are visibly on; they need a shared cache.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Behind nginx, the proxy's address is in X-Forwarded-For; trust only as many hops as we run.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Email ------------------------------------------------------------------

# EMAIL_BACKEND, EMAIL_HOST and the rest come from one URL, as DATABASE_URL does.
globals().update(email_from_url(os.environ.get("EMAIL_URL", "console://")))
# The site never talks to the mail server in a request: every email is stored in the
# outbox (community/mailer) and a worker delivers it through EMAIL_BACKEND, retrying with
# backoff MAILER_MAX_ATTEMPTS times before it is kept as failed for a coordinator to see.
MAILER_MAX_ATTEMPTS = env_int("MAILER_MAX_ATTEMPTS", 6, minimum=1)
# Seconds before the first retry; each next one waits twice as long (60 s, 2 min, 4 min…).
MAILER_RETRY_SECONDS = env_int("MAILER_RETRY_SECONDS", 60, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Наставник <noreply@nastavnik.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (photos, attachments) go to any S3-compatible store when a bucket is named.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # Files are private: every read goes through a view that checks permission.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
# How long a mentoring pair runs unless ended early: three months by default.
MENTORSHIP_PERIOD_DAYS = env_int("MENTORSHIP_PERIOD_DAYS", 91, minimum=7)
# A newcomer's question unanswered this long goes to the coordinators (escalate_questions).
QUESTION_ESCALATION_HOURS = env_int("QUESTION_ESCALATION_HOURS", 24, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Attachments (community/attachments): limits per type, per member, and for what is inside.
_MB = 1024 * 1024
ATTACHMENT_MAX_DOCUMENT_BYTES = env_int("ATTACHMENT_MAX_DOCUMENT_BYTES", 10 * _MB, minimum=1024)
ATTACHMENT_MAX_IMAGE_BYTES = env_int("ATTACHMENT_MAX_IMAGE_BYTES", 5 * _MB, minimum=1024)
ATTACHMENT_QUOTA_BYTES = env_int("ATTACHMENT_QUOTA_BYTES", 500 * _MB, minimum=1024)
ATTACHMENT_UPLOADS_PER_MINUTE = env_int("ATTACHMENT_UPLOADS_PER_MINUTE", 30, minimum=1)
ATTACHMENT_IMAGE_MAX_PIXELS = env_int("ATTACHMENT_IMAGE_MAX_PIXELS", 50_000_000, minimum=1)
# A real Word file inflates a few times over; a bomb, thousands of times.
ATTACHMENT_ZIP_MAX_ENTRIES = env_int("ATTACHMENT_ZIP_MAX_ENTRIES", 10_000, minimum=1)
ATTACHMENT_ZIP_MAX_INFLATED_BYTES = env_int(
    "ATTACHMENT_ZIP_MAX_INFLATED_BYTES", 300 * _MB, minimum=1
)
ATTACHMENT_ZIP_MAX_RATIO = env_int("ATTACHMENT_ZIP_MAX_RATIO", 200, minimum=1)
ATTACHMENT_ZIP_RATIO_FROM_BYTES = env_int("ATTACHMENT_ZIP_RATIO_FROM_BYTES", 20 * _MB)
ATTACHMENT_ORPHAN_HOURS = env_int("ATTACHMENT_ORPHAN_HOURS", 24, minimum=1)
ATTACHMENT_DELETED_DAYS = env_int("ATTACHMENT_DELETED_DAYS", 30, minimum=0)
# "x-accel-redirect" (nginx) or "x-sendfile" (Apache): the web server sends the file
# after Django has checked who asks; unset, Django streams it itself.
ATTACHMENT_SENDFILE = os.environ.get("ATTACHMENT_SENDFILE", "")
if ATTACHMENT_SENDFILE not in {"", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured(
        "ATTACHMENT_SENDFILE must be x-accel-redirect, x-sendfile or "
        f"empty; got {ATTACHMENT_SENDFILE!r}"
    )
ATTACHMENT_SENDFILE_PREFIX = os.environ.get("ATTACHMENT_SENDFILE_PREFIX", "/protected-media/")
if ATTACHMENT_SENDFILE and AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "ATTACHMENT_SENDFILE serves files from the local disk; it "
        "cannot be used with AWS_STORAGE_BUCKET_NAME"
    )

# --- Security ---------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from this site, and an inline one only with the page's nonce; styles from
# the stylesheet only; no plugins, no framing, forms post here. Members' text cannot bring
# any of these: the markup pipeline allows no script, style or remote image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "community.views.csrf_failure"
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Background work ----------------------------------------------------------

# Deferred and periodic work (emails, digests, escalations, purges, imports) runs in
# workers: `manage.py run_worker` (docs/deployment.md). The queue is a table in the
# site's own database, so a task is enqueued in the same commit as the write behind it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker records a heartbeat this often; one silent for the stale period is taken for
# dead and the tasks it held run again on another worker.
BACKGROUND_HEARTBEAT_SECONDS = env_int("BACKGROUND_HEARTBEAT_SECONDS", 10, minimum=1)
BACKGROUND_WORKER_STALE_SECONDS = env_int("BACKGROUND_WORKER_STALE_SECONDS", 60, minimum=2)
# How often a worker looks at the schedule and for dead workers' tasks.
BACKGROUND_HOUSEKEEPING_SECONDS = env_int("BACKGROUND_HOUSEKEEPING_SECONDS", 15, minimum=1)

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"daphne": {"level": "WARNING"}},
}

# Absolute links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
