"""Django settings, read from the environment with embedded defaults.

Every knob a deployment turns is an environment variable named in the README;
nothing here needs editing to run Bedside.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from bedside.config.env import data_dir, env_bool, env_list, private_networks
from bedside.config.queue import build_huey

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
TESTING = "pytest" in sys.modules or os.environ.get("BEDSIDE_TESTING") == "1"

DEBUG = env_bool("BEDSIDE_DEBUG")
SECRET_KEY = os.environ.get("BEDSIDE_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("BEDSIDE_SECRET_KEY must be set when BEDSIDE_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "BEDSIDE_ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else ""
)
CSRF_TRUSTED_ORIGINS = env_list("BEDSIDE_CSRF_TRUSTED_ORIGINS")
BEDSIDE_ALLOWED_PRIVATE_NETWORKS = private_networks()
# Fernet keys, newest first; rotating adds a key in front (see `bedside rotate_keys`).
BEDSIDE_ENCRYPTION_KEYS = env_list("BEDSIDE_ENCRYPTION_KEYS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "bedside.core",
    "bedside.accounts",
    "bedside.audit",
    "bedside.compliance",
    "bedside.channels",
    "bedside.content",
    "bedside.publishing",
    "bedside.listening",
    "bedside.community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "bedside.accounts.middleware.CurrentMembershipMiddleware",
    "bedside.accounts.middleware.IdleTimeoutMiddleware",
]

ROOT_URLCONF = "bedside.config.urls"
WSGI_APPLICATION = "bedside.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bedside.core.context_processors.shell",
                "bedside.publishing.context_processors.crisis",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'bedside.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Keep each thread's connection: opening one re-runs the PRAGMAs below on every request.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock at BEGIN, so read-then-write
        # transactions (audit chain, delivery claims) cannot interleave.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

QUEUE_URL = os.environ.get("BEDSIDE_QUEUE_URL") or f"sqlite:///{DATA_DIR / 'queue.sqlite3'}"
HUEY = build_huey(QUEUE_URL, immediate=False)

# Shared by every web process (login rate limits, used TOTP codes): the database
# by default, Redis when BEDSIDE_CACHE_URL names one.
_cache_url = os.environ.get("BEDSIDE_CACHE_URL", "")
if _cache_url.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bedside_cache",
        }
    }

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# allauth: e-mail login, invitation-only, MFA with TOTP and recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "bedside.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bedside"
# Off: tracking writes the session row on every request (a serialised write on
# SQLite). Sessions are still listed and can be ended; idle logoff has its own clock.
USERSESSIONS_TRACK_ACTIVITY = False
LOGIN_URL = "account_login"
LOGIN_URL_PATH = "/accounts/login/"
BEDSIDE_BASE_URL = os.environ.get("BEDSIDE_BASE_URL", "http://127.0.0.1:8000")
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# HIPAA automatic logoff: the practice sets the idle minutes; this is the default
# and the absolute cap on a session's life.
BEDSIDE_IDLE_TIMEOUT_MINUTES = int(os.environ.get("BEDSIDE_IDLE_TIMEOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("BEDSIDE_SECURE_COOKIES", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("BEDSIDE_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("BEDSIDE_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("BEDSIDE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BEDSIDE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BEDSIDE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BEDSIDE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BEDSIDE_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("BEDSIDE_EMAIL_FROM", "Bedside <no-reply@bedside.localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# PHI and secrets never reach logs: request bodies are not logged, and the
# filter scrubs anything that looks like a credential from log records.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "bedside.core.redact.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BEDSIDE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
