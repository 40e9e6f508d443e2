"""Paço settings: one module, driven by environment variables.

See the configuration table in README.md. Every variable is read through the
helpers in :mod:`paco.env`, which refuse malformed values. Production mode
(``PACO_ENV=production``) adds the system checks in :mod:`paco.core.checks`,
which refuse to start with an insecure configuration.
"""

from __future__ import annotations

import atexit
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from paco.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACO_ENV = env_choice("PACO_ENV", ("development", "production", "test"), "development")
PRODUCTION = PACO_ENV == "production"
TESTING = PACO_ENV == "test" or "pytest" in sys.modules

DATA_DIR = Path(env_str("PACO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use PACO_SECRET_KEY, or a key generated once and kept in the data directory."""
    explicit = env_str("PACO_SECRET_KEY")
    if explicit:
        return explicit
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("PACO_DEBUG", False)
ALLOWED_HOSTS = env_list("PACO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if TESTING:
    ALLOWED_HOSTS += ["testserver", ".paco.test"]
CSRF_TRUSTED_ORIGINS = env_list("PACO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "paco.core",
    "paco.tenancy",
    "paco.accounts",
    "paco.audit",
    "paco.catalog",
    "paco.plans",
    "paco.opendata",
    "paco.protocol",
    "paco.deadlines",
    "paco.atendimento",
    "paco.panel",
    "paco.datarequests",
    "paco.requestforms",
    "paco.open311",
    "paco.workspace",
    "paco.notifications",
    "paco.citizens",
    "paco.receipts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # first: a cached anonymous page is answered before anything else runs, with the
    # headers the whole chain gave it when it was stored (see paco.core.cache)
    "paco.core.cache.PublicPageCacheMiddleware",
    "paco.core.clientip.ClientAddressMiddleware",
    "paco.core.origin.CanonicalHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "paco.tenancy.middleware.MunicipalityMiddleware",
    "paco.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paco.urls"
WSGI_APPLICATION = "paco.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/gestao/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paco.core.context_processors.site",
                "paco.workspace.shell.context",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'paco.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the single writer work at the same time;
        # IMMEDIATE transactions avoid "database is locked" on upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files ------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/arquivos/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = TESTING or DEBUG
PACO_STORAGE = env_choice("PACO_STORAGE", ("local", "s3"), "local")
_default_storage: dict[str, object]
if PACO_STORAGE == "s3":
    # Requires the optional extra: pip install 'paco[s3]'.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PACO_S3_BUCKET"),
            "endpoint_url": env_str("PACO_S3_ENDPOINT_URL") or None,
            "access_key": env_str("PACO_S3_ACCESS_KEY"),
            "secret_key": env_str("PACO_S3_SECRET_KEY"),
            "region_name": env_str("PACO_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
#: largest file the open-data upload API and staff form accept (streamed to disk)
PACO_MAX_UPLOAD_MB = env_int("PACO_MAX_UPLOAD_MB", 1024)
#: CEP → street table of the service request forms (CSV; empty: the demo town's own)
PACO_CEP_FILE = env_str("PACO_CEP_FILE", "")
#: requests per client address and hour that the Open311 POST accepts
PACO_OPEN311_POST_LIMIT = env_int("PACO_OPEN311_POST_LIMIT", 20)

# --- Background tasks (Django's tasks API, django-tasks backport) ----------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else env_str("PACO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        )
    }
}

# --- Notices to servants (paco.notifications) ---------------------------------
#: days before a deadline servants are told, unless their town or they chose otherwise
PACO_NOTIFY_DAYS_BEFORE = env_int("PACO_NOTIFY_DAYS_BEFORE", 3)
#: local hour (0-23) from which the daily digest e-mail is sent
PACO_NOTIFY_DIGEST_HOUR = env_int("PACO_NOTIFY_DIGEST_HOUR", 7)
#: e-mail attempts per notice before it is marked failed (backoff doubles from 1 minute)
PACO_NOTIFY_MAX_ATTEMPTS = env_int("PACO_NOTIFY_MAX_ATTEMPTS", 6)
#: seconds between two runs of the periodic pass (retries, digests, deadline scan)
PACO_NOTIFY_TICK_SECONDS = env_int("PACO_NOTIFY_TICK_SECONDS", 60)
if not 0 <= PACO_NOTIFY_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("PACO_NOTIFY_DIGEST_HOUR deve estar entre 0 e 23.")
if PACO_NOTIFY_MAX_ATTEMPTS < 1 or PACO_NOTIFY_TICK_SECONDS < 1 or PACO_NOTIFY_DAYS_BEFORE < 0:
    raise ImproperlyConfigured(
        "PACO_NOTIFY_MAX_ATTEMPTS e PACO_NOTIFY_TICK_SECONDS devem ser positivos e "
        "PACO_NOTIFY_DAYS_BEFORE não pode ser negativo."
    )

# --- Cache ------------------------------------------------------------------
# Shared by every process of the installation, so an edit makes every process's cached
# pages stale at once and rate-limit counters add up: Redis when PACO_CACHE_URL is set,
# otherwise diskcache's SQLite-backed cache (atomic increments, safe across processes)
# under PACO_DATA_DIR/cache (docs/decisions.md, "Both cores"). Under pytest each process
# gets its own directory unless PACO_CACHE_DIR names one (the cross-process tests do).
_cache_url = env_str("PACO_CACHE_URL")
CACHE_DIR = Path(
    env_str("PACO_CACHE_DIR")
    or (tempfile.mkdtemp(prefix="paco-test-cache-") if TESTING else str(DATA_DIR / "cache"))
)
if TESTING and not env_str("PACO_CACHE_DIR"):
    atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {
            "BACKEND": "paco.core.diskcache.SharedDiskCache",
            "LOCATION": str(CACHE_DIR),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.05,  # seconds a write waits for the shard's lock
            "OPTIONS": {"size_limit": 2**28, "sqlite_cache_size": 2**10},
        }
    )
}

# Whole-page cache of anonymous public pages (paco.core.cache); 0 turns it off.
PACO_PAGE_CACHE_SECONDS = env_int("PACO_PAGE_CACHE_SECONDS", 0 if TESTING else 300)
# Carta, cronograma and data requests republished as open datasets when they change
# (paco.opendata.selfpublish); off in tests unless a test turns it on.
PACO_SELF_PUBLISH = env_bool("PACO_SELF_PUBLISH", not TESTING)

# --- Authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # citizens log in with their e-mail or CPF (only from the citizens' login form)
    "paco.citizens.backends.CitizenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = env_int("PACO_LOGIN_FAILURE_LIMIT", 5)
# password-reset e-mails asked per hour, per e-mail typed and per client address
PACO_PASSWORD_RESET_PER_EMAIL = env_int("PACO_PASSWORD_RESET_PER_EMAIL", 3)
PACO_PASSWORD_RESET_PER_IP = env_int("PACO_PASSWORD_RESET_PER_IP", 10)
# citizens' login and sign-up attempts per hour from one client address (paco.citizens)
PACO_CITIZEN_LOGIN_PER_IP = env_int("PACO_CITIZEN_LOGIN_PER_IP", 60)
PACO_CITIZEN_SIGNUP_PER_IP = env_int("PACO_CITIZEN_SIGNUP_PER_IP", 10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# the lockout counts failures per client address as paco.core.clientip decides it
AXES_CLIENT_IP_CALLABLE = "paco.core.clientip.client_ip"
OTP_TOTP_ISSUER = "Paço"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- gov.br login (OpenID Connect, paco.citizens.govbr) ----------------------------
#: the provider's issuer, e.g. https://sso.acesso.gov.br (staging: https://sso.staging.acesso.gov.br)
PACO_GOVBR_ISSUER = env_str("PACO_GOVBR_ISSUER")
PACO_GOVBR_CLIENT_ID = env_str("PACO_GOVBR_CLIENT_ID")
PACO_GOVBR_CLIENT_SECRET = env_str("PACO_GOVBR_CLIENT_SECRET")
PACO_GOVBR_SCOPES = " ".join(
    env_str(
        "PACO_GOVBR_SCOPES",
        "openid email profile govbr_confiabilidades govbr_confiabilidades_idtoken",
    )
    .replace(",", " ")
    .split()
)
PACO_GOVBR_TIMEOUT_SECONDS = env_int("PACO_GOVBR_TIMEOUT_SECONDS", 10)
if PACO_GOVBR_ISSUER and "openid" not in PACO_GOVBR_SCOPES.split():
    raise ImproperlyConfigured("PACO_GOVBR_SCOPES deve incluir openid.")

# --- Security headers ---------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PACO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("PACO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PACO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a decision for the owner of the registrable domain (for a
        # town's *.gov.br name, not the town): don't nag every deploy check about it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy: the scheme comes from its X-Forwarded-Proto and the client
# address from its forwarded-for header (paco.core.clientip), PACO_TRUSTED_PROXIES hops from
# the right. The host is never taken from X-Forwarded-Host: the proxy passes Host on
# and absolute links use the municipality's configured host (paco.core.origin).
PACO_BEHIND_PROXY = env_bool("PACO_BEHIND_PROXY", False)
PACO_TRUSTED_PROXIES = env_int("PACO_TRUSTED_PROXIES", 1)
if PACO_TRUSTED_PROXIES < 1:
    raise ImproperlyConfigured("PACO_TRUSTED_PROXIES deve ser pelo menos 1.")
if PACO_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = env_str("PACO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PACO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PACO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("PACO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PACO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PACO_EMAIL_FROM", "Paço <nao-responda@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("PACO_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Internationalization -----------------------------------------------------
LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = env_str("PACO_TIME_ZONE", "America/Sao_Paulo")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "paco" / "locale"]

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PACO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

PACO_NATIONAL_SERVICES_PORTAL = "https://www.gov.br/pt-br/servicos"

# --- Open-data API (paco.opendata.datastore) ---------------------------------
#: read-only SQL over the published tables (CKAN's datastore_search_sql)
PACO_SQL_API = env_bool("PACO_SQL_API", True)
PACO_SQL_TIMEOUT_SECONDS = env_int("PACO_SQL_TIMEOUT_SECONDS", 10)
PACO_SQL_MAX_ROWS = env_int("PACO_SQL_MAX_ROWS", 32000)
#: size cap (bytes) of one datastore_search_sql result as JSON: larger ones are refused whole
PACO_SQL_MAX_BYTES = env_int("PACO_SQL_MAX_BYTES", 20_000_000)
#: SQL queries run in this many pre-started worker processes (per web process) at most at once
PACO_SQL_CONCURRENCY = env_int("PACO_SQL_CONCURRENCY", 2)
#: memory (MB) a query's worker process may take beyond its start-up size (RLIMIT_AS)
PACO_SQL_MEMORY_MB = env_int("PACO_SQL_MEMORY_MB", 512)
#: seconds a query waits for a free worker before "tente novamente" (HTTP 503)
PACO_SQL_QUEUE_SECONDS = env_int("PACO_SQL_QUEUE_SECONDS", 2)
#: memory (MB) an import's child process may take beyond its start-up size (RLIMIT_AS)
PACO_IMPORT_MEMORY_MB = env_int("PACO_IMPORT_MEMORY_MB", 1536)

# --- Open-data portal webhooks (paco.opendata.portal.webhooks) ---------------
#: receivers POSTed a JSON notice when a dataset is published or updated
PACO_WEBHOOK_URLS = env_list("PACO_WEBHOOK_URLS")
#: HMAC-SHA256 key of the ``X-Paco-Signature`` header (receivers verify with it)
PACO_WEBHOOK_SECRET = env_str("PACO_WEBHOOK_SECRET")
PACO_WEBHOOK_TIMEOUT_SECONDS = env_int("PACO_WEBHOOK_TIMEOUT_SECONDS", 5)
#: the configured receivers may be on loopback/private networks (redirects never may)
PACO_WEBHOOK_ALLOW_INTERNAL = env_bool("PACO_WEBHOOK_ALLOW_INTERNAL", False)
