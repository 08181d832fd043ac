"""Settings for PeerMentor, read from typed environment variables (see docs/configuration.md)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from environs import Env

env = Env()

SRC_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("PEERMENTOR_DATA_DIR", str(SRC_DIR.parent.parent / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key from SECRET_KEY, SECRET_KEY_FILE, or one generated once under DATA_DIR."""
    if key := env.str("SECRET_KEY", ""):
        return key
    if key_file := env.str("SECRET_KEY_FILE", ""):
        return Path(key_file).read_text(encoding="utf-8").strip()
    generated = DATA_DIR / "secret_key"
    if not generated.exists():
        generated.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        generated.chmod(0o600)
    return generated.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("PEERMENTOR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "peermentor.core",
    "peermentor.accounts",
    "peermentor.programs",
    "peermentor.meetings",
    "peermentor.goals",
    "peermentor.scholarship",
    "peermentor.surveys",
    "peermentor.qualitative",
    "peermentor.enrolment",
    "peermentor.reports",
    "peermentor.api",
    "peermentor.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "peermentor.core.middleware.RequestIdMiddleware",
    "peermentor.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peermentor.accounts.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peermentor.accounts.middleware.UserTimeZoneMiddleware",
    "peermentor.core.middleware.NoStoreForSignedInMiddleware",
    "peermentor.programs.middleware.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "peermentor.urls"
WSGI_APPLICATION = "peermentor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "peermentor.programs.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite (WAL) under DATA_DIR by default; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", f"sqlite:///{DATA_DIR / 'peermentor.sqlite3'}")
}
# How long a request waits for another one's write before answering 503 (operations).
_SQLITE_BUSY_SECONDS = env.int("PEERMENTOR_SQLITE_BUSY_SECONDS", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _SQLITE_BUSY_SECONDS,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}; PRAGMA foreign_keys=ON;"
        ),
    }
# Connections are kept between requests (with a health check): opening one per request costs a
# PostgreSQL backend process, or SQLite's reading of the schema, every time.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every app server (login rate limits live here).
CACHES = {
    "default": env.dj_cache_url("CACHE_URL", "db://peermentor_cache"),
}

# --- Background work (reminders, imports, reports): the database-backed task queue.
TASKS = {
    "default": {
        "BACKEND": env.str("PEERMENTOR_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "peermentor.programs.adapters.InvitationOnlyAccountAdapter"
SOCIALACCOUNT_ADAPTER = "peermentor.programs.adapters.InvitedPeopleSocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("PEERMENTOR_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "5/m/ip,3/m/key",
}
# API calls per person over all their tokens ("count/period", period s, m, h or d; empty: none).
PEERMENTOR_API_RATE_LIMIT = env.str("PEERMENTOR_API_RATE_LIMIT", "300/m")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PeerMentor"
# When on, program directors and evaluators must set up a second factor before they go on.
PEERMENTOR_REQUIRE_MFA_FOR_STAFF = env.bool("PEERMENTOR_REQUIRE_MFA_FOR_STAFF", False)

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
if oidc := env.str("PEERMENTOR_OIDC_PROVIDERS", ""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {"APPS": json.loads(oidc)}
if saml := env.str("PEERMENTOR_SAML_PROVIDERS", ""):
    INSTALLED_APPS.append("allauth.socialaccount.providers.saml")
    SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": json.loads(saml)}

# --- Sessions: end after idle time and after an absolute lifetime.
SESSION_COOKIE_AGE = env.int("PEERMENTOR_SESSION_IDLE_SECONDS", 60 * 60 * 8)
# Renewed at most once a minute by SessionLifetimeMiddleware, not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Signed out this long after signing in, however active (0: no absolute limit).
PEERMENTOR_SESSION_ABSOLUTE_SECONDS = env.int("PEERMENTOR_SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- HTTPS: on for production (documented in docs/deploy.md), off for the local `make run`.
SECURE = env.bool("PEERMENTOR_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env.bool("PEERMENTOR_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.int("PEERMENTOR_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- E-mail: the console by default, SMTP through EMAIL_URL.
_email = env.dj_email_url("EMAIL_URL", "console://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", _email["EMAIL_BACKEND"])
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "PeerMentor <peermentor@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Invitations
PEERMENTOR_INVITATION_DAYS = env.int("PEERMENTOR_INVITATION_DAYS", 14)

# --- Retention: notes of a group closed this many days ago are purged (0: never).
PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS = env.int("PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS", 365)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "PEERMENTOR_STATIC_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# --- Logging (operations): JSON lines on standard error, each with the request id; secret
# link arguments and query strings are never logged. See peermentor.core.logs.
from peermentor.core.logs import logging_config  # noqa: E402

LOGGING = logging_config(
    level=env.str("LOG_LEVEL", "INFO"), fmt=env.str("PEERMENTOR_LOG_FORMAT", "json")
)
# --- End of logging.
