"""The one settings module. Every value that differs between machines comes from the environment.

Each variable is documented once, in `.env.example` (and the README's configuration table).
Without any variable set, the project runs the embedded default: SQLite under `var/`, a
local-memory cache and Celery tasks executed in-process.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from roadmapfinder.env import (
    embedded_secret_key,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("TESTING", default=False)


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only ever used on a developer's machine or in the test suite.
        SECRET_KEY = "insecure-local-development-key-not-for-production"  # noqa: S105
    elif not env_str("DATABASE_URL"):
        # The embedded default (SQLite under var/): a random key kept beside the database. A
        # deployment with DATABASE_URL (compose, any real server) must still set SECRET_KEY:
        # its web containers need one shared key, and nothing there is generated silently.
        SECRET_KEY = embedded_secret_key(VAR_DIR / "secret_key")
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DATABASE_URL is set and DEBUG is off (see .env.example)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "ninja",
    "accounts",
    "roadmaps",
    "progress",
    "courses",
]

MIDDLEWARE = [
    "roadmapfinder.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "roadmapfinder.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "roadmapfinder.urls"
WSGI_APPLICATION = "roadmapfinder.wsgi.application"
ASGI_APPLICATION = "roadmapfinder.asgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'roadmapfinder.sqlite3'}"
# Persistent connections are checked before each request uses them (CONN_HEALTH_CHECKS): after a
# PostgreSQL restart or a killed backend the next request reconnects instead of failing, so no
# worker needs restarting. Requests during the outage get a 503 "try again" (roadmapfinder/errors).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# Rows kept per process (common/row_watch.py); off in tests, whose writes never commit.
LISTEN_FOR_WRITES = USING_POSTGRES and env_bool("LISTEN_FOR_WRITES", default=not TESTING)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite: wait for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and Celery -------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# The cache is optional by design (roadmapfinder/cache.py): while Redis is down every cache call
# behaves like a miss and rate limits fail open. Short socket timeouts keep a hung or unreachable
# Redis from holding a request for long; after a failure Redis is retried only every
# REDIS_CACHE_RETRY_SECONDS, so requests during an outage make no Redis call at all.
REDIS_CACHE_TIMEOUT = env_float("REDIS_CACHE_TIMEOUT", 0.5)
REDIS_CACHE_RETRY_SECONDS = env_float("REDIS_CACHE_RETRY_SECONDS", 5.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "roadmapfinder.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "rmf"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CACHE_TIMEOUT,
                "socket_timeout": REDIS_CACHE_TIMEOUT,
                "RETRY_SECONDS": REDIS_CACHE_RETRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Expired sessions are never removed by Django itself. Without a beat (the embedded default)
    # run `manage.py clearsessions` from cron instead (docs/operations.md).
    "sessions-clear-expired": {
        "task": "accounts.tasks.sessions_clear_expired",
        "schedule": env_float("SESSIONS_CLEAR_EVERY_SECONDS", 24 * 3600.0),
    },
}

# --- Auth -------------------------------------------------------------------------------------

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
if TESTING:
    # The suite creates hundreds of users; PBKDF2's deliberate slowness buys nothing there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
SITE_ID = 1

# --- Email ------------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Roadmapfinder <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N, static -----------------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------------------------

# Content-Security-Policy and Permissions-Policy: roadmapfinder/middleware.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, loaded with one short SQL statement (common/sessions.py).
SESSION_ENGINE = "common.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    # The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite, never pass
    # on, a client's own header).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Redirect plain HTTP to HTTPS (default: on behind a TLS proxy). The health check is exempt so a
# load balancer or container health probe can ask over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
# HSTS: off unless set. Once a browser has seen it, the site is HTTPS-only there for this long;
# start low (e.g. 3600), then a year (31536000). Preload only after submitting to hstspreload.org.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

# --- Content ----------------------------------------------------------------------------------

CONTENT_DIR = BASE_DIR / "content"

# Logs go to stderr. `json` (the default in production): one JSON object per line, with the
# request id on every line and one line per request (method, path, status, duration); `text` for
# people (the default with DEBUG and in tests). roadmapfinder/request_log.py.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOG_REQUESTS = env_bool("LOG_REQUESTS", default=not DEBUG and not TESTING)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "roadmapfinder.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "roadmapfinder.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The request line is ours; Django's own 4xx warnings would say the same thing twice.
        "roadmapfinder.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
        "django.request": {"level": "ERROR" if LOG_REQUESTS else "WARNING"},
    },
}

# --- Content files (docs/content-format.md) -------------------------------------------------

# Largest content file an import reads; bigger files are refused before parsing.
CONTENT_MAX_FILE_BYTES = env_int("CONTENT_MAX_FILE_BYTES", 1024 * 1024)
# Most rows (phases, sections, items, resources, FAQs together) one content file may describe.
CONTENT_MAX_ROWS = env_int("CONTENT_MAX_ROWS", 20_000)

# --- API (the public JSON API at /api/v1/, docs/api.md) -----------------------------

# Requests per window: anonymous callers per IP address, signed-in users per user, token
# clients per token. Format <requests>/<s|min|hour|day>.
API_THROTTLE_ANON_RATE = env_str("API_THROTTLE_ANON_RATE", "120/min")
API_THROTTLE_USER_RATE = env_str("API_THROTTLE_USER_RATE", "600/min")
# Failed token authentications per client address; past it the address gets 429 until the
# window ends, even with a valid token.
API_THROTTLE_FAILED_AUTH_RATE = env_str("API_THROTTLE_FAILED_AUTH_RATE", "10/min")
# How many reverse proxies append to X-Forwarded-For in front of the app (0: trust none).
API_TRUSTED_PROXY_COUNT = env_int("API_TRUSTED_PROXY_COUNT", 0)
# Cache-Control max-age (seconds) of anonymous roadmap reads, and how long a serialized roadmap
# stays in the cache (edits replace it at once: the key contains the roadmap's updated time;
# link-check results, which do not touch the roadmap, show up within this time).
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 300)
API_ROADMAP_CACHE_TTL = env_int("API_ROADMAP_CACHE_TTL", 600)
# Origins allowed to read the public endpoints cross-origin: "*" or a comma-separated list.
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS", ["*"])
API_CORS_MAX_AGE = env_int("API_CORS_MAX_AGE", 86400)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "roadmapfinder.cors.ApiCorsMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("roadmapfinder.cors.ApiCorsMiddleware") + 1,
    "common.api_errors.ApiErrorShapeMiddleware",
)
# Inside the API's error shaping (its 404s become JSON), before sessions touch the database.
MIDDLEWARE.insert(
    MIDDLEWARE.index("common.api_errors.ApiErrorShapeMiddleware") + 1,
    "roadmapfinder.middleware.NulByteMiddleware",
)

# --- Read path (README "Performance") --------------------------------------------------------

# gzip for dynamic answers without a CSRF token (BREACH, common/compress.py); it wraps everything
# that builds the answer, so it sees the final body.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "common.compress.GzipDynamicMiddleware",
)

# Learners' filled page content goes into the rendered answer after the template (common/splice.py),
# inside gzip (which must see the whole body).
MIDDLEWARE.insert(
    MIDDLEWARE.index("common.compress.GzipDynamicMiddleware") + 1,
    "common.splice.SpliceMiddleware",
)
# Stored answers for plain visitors, served before sessions, authentication and the views run
# (roadmaps/early.py): inside the request log, security headers, CORS and the API's error shape.
MIDDLEWARE.insert(
    MIDDLEWARE.index("common.compress.GzipDynamicMiddleware"),
    "roadmaps.early.StoredAnswerMiddleware",
)

# --- Accounts (allauth) (sign-in, settings, tokens; docs/accounts.md) ------------------------


def _env_http_url(name: str, default: str = "") -> str:
    value = env_str(name, default).rstrip("/")
    if value and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, got {value!r}")
    return value


def _oauth_apps(prefix: str) -> list[dict[str, str]]:
    """The provider's app from <PREFIX>_CLIENT_ID/_SECRET; none (so no button) when unset."""
    client_id = env_str(f"{prefix}_CLIENT_ID")
    secret = env_str(f"{prefix}_CLIENT_SECRET")
    if bool(client_id) != bool(secret):
        raise ImproperlyConfigured(f"Set both {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET")
    return [{"client_id": client_id, "secret": secret, "key": ""}] if client_id else []


ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address from the browser that signed up signs the learner in and resumes the
# sign-up's `next` (allauth only does this when the pending sign-up is in that same session).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Roadmapfinder] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
# allauth's rate limits (failed logins, sign-ups, password resets, confirmation emails) stay at
# their defaults: ACCOUNT_RATE_LIMITS is deliberately not set. Their per-IP limits need the
# client's address, not the proxy's: the same variable as the API throttling says how many
# proxies in front of the app append to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("API_TRUSTED_PROXY_COUNT", 0)
# Failed admin sign-ins (/admin/login/) per client address and per account name, <n>/<period>;
# past either the form answers 429 until the window ends (accounts/admin_login.py).
ADMIN_LOGIN_ADDRESS_RATE = env_str("ADMIN_LOGIN_ADDRESS_RATE", "20/hour")
ADMIN_LOGIN_ACCOUNT_RATE = env_str("ADMIN_LOGIN_ACCOUNT_RATE", "10/hour")
# Signed-out visitors' first marks per client address, <n>/<period>: each one starts a database
# session (two weeks), so one address cannot fill the session table (progress/views.py).
PROGRESS_ANON_SESSION_RATE = env_str("PROGRESS_ANON_SESSION_RATE", "30/hour")
# Resources a signed-in learner may suggest for items, <n>/<period> per account; past it the
# form says when to try again (roadmaps/suggestions.py).
RESOURCE_SUGGESTION_RATE = env_str("RESOURCE_SUGGESTION_RATE", "5/hour")
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # a provider login starts with a POST (CSRF-protected)
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False  # we never call providers after sign-in: keep no tokens
# A provider-verified email that matches an account signs in to it and connects the provider;
# an unverified one never does (accounts.adapters.SocialAccountAdapter.pre_social_login).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
GITHUB_URL = _env_http_url("GITHUB_URL", "https://github.com")
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        # Endpoints follow GITHUB_URL on every request (GitHub Enterprise Server: /api/v3).
        "provider_class": "accounts.oauth.github.provider.GitHubProvider",
        "APPS": _oauth_apps("GITHUB"),
        "GITHUB_URL": GITHUB_URL,
        "SCOPE": ["read:user", "user:email"],
        "OAUTH_PKCE_ENABLED": env_bool("GITHUB_PKCE_ENABLED", default=True),
    },
    "google": {
        # Empty values mean Google's own endpoints (accounts.oauth.google.views.DEFAULTS).
        "provider_class": "accounts.oauth.google.provider.GoogleProvider",
        "APPS": _oauth_apps("GOOGLE"),
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
        "AUTHORIZE_URL": _env_http_url("GOOGLE_AUTHORIZE_URL"),
        "ACCESS_TOKEN_URL": _env_http_url("GOOGLE_TOKEN_URL"),
        "IDENTITY_URL": _env_http_url("GOOGLE_USERINFO_URL"),
        "CERTS_URL": _env_http_url("GOOGLE_CERTS_URL"),
        "ID_TOKEN_ISSUER": env_str("GOOGLE_ID_TOKEN_ISSUER"),
    },
}

# --- Link checking (background link checks, docs/linkcheck.md) -------------------------------

# Who we are when we knock: the user agent names the project and a page about the checker.
LINKCHECK_CONTACT_URL = env_str("LINKCHECK_CONTACT_URL", SITE_URL + "/")
LINKCHECK_USER_AGENT = env_str(
    "LINKCHECK_USER_AGENT",
    f"RoadmapfinderLinkChecker/1.0 (+{LINKCHECK_CONTACT_URL}; checks links of learning roadmaps)",
)
# Politeness and speed: requests in flight overall and per host (4, fewer than a browser's 6),
# and the least time between two requests to the same host (seconds).
LINKCHECK_CONCURRENCY = env_int("LINKCHECK_CONCURRENCY", 64)
LINKCHECK_PER_HOST_CONCURRENCY = env_int("LINKCHECK_PER_HOST_CONCURRENCY", 4)
LINKCHECK_PER_HOST_INTERVAL = env_float("LINKCHECK_PER_HOST_INTERVAL", 0.01)
LINKCHECK_CONNECT_TIMEOUT = env_float("LINKCHECK_CONNECT_TIMEOUT", 5.0)
LINKCHECK_READ_TIMEOUT = env_float("LINKCHECK_READ_TIMEOUT", 10.0)
LINKCHECK_MAX_REDIRECTS = env_int("LINKCHECK_MAX_REDIRECTS", 10)
LINKCHECK_MAX_BODY_BYTES = env_int("LINKCHECK_MAX_BODY_BYTES", 256 * 1024)
# Transient failures (timeouts, resets, 408, 429, 5xx) are retried with exponential backoff;
# a Retry-After longer than the cap is not waited for (the link is "unknown" until next time).
LINKCHECK_RETRIES = env_int("LINKCHECK_RETRIES", 2)
LINKCHECK_RETRY_BACKOFF = env_float("LINKCHECK_RETRY_BACKOFF", 1.0)
LINKCHECK_RETRY_AFTER_MAX = env_float("LINKCHECK_RETRY_AFTER_MAX", 30.0)
# A link is confirmed broken (hidden from learners, mailed to editors) only after this many
# broken checks in a row spanning at least this many hours.
LINKCHECK_CONFIRM_FAILURES = env_int("LINKCHECK_CONFIRM_FAILURES", 3)
LINKCHECK_CONFIRM_HOURS = env_float("LINKCHECK_CONFIRM_HOURS", 48.0)
# How long until the next check, by result (broken links are rechecked so that the confirming
# checks spread over LINKCHECK_CONFIRM_HOURS); each gets +/- LINKCHECK_JITTER (a fraction).
LINKCHECK_OK_INTERVAL_HOURS = env_float("LINKCHECK_OK_INTERVAL_HOURS", 168.0)
LINKCHECK_UNKNOWN_INTERVAL_HOURS = env_float("LINKCHECK_UNKNOWN_INTERVAL_HOURS", 12.0)
LINKCHECK_JITTER = env_float("LINKCHECK_JITTER", 0.1)
# An hourly pass checks at most LINKCHECK_PASS_LIMIT due URLs, in tasks of LINKCHECK_BATCH_SIZE.
LINKCHECK_PASS_LIMIT = env_int("LINKCHECK_PASS_LIMIT", 5000)
LINKCHECK_BATCH_SIZE = env_int("LINKCHECK_BATCH_SIZE", 100)
# A batch task is stopped after this many seconds; a URL's lease outlives it so a killed worker's
# URLs become free again and no URL is ever checked by two workers at once.
LINKCHECK_TASK_TIME_LIMIT = env_int("LINKCHECK_TASK_TIME_LIMIT", 300)
LINKCHECK_LEASE_SECONDS = env_int("LINKCHECK_LEASE_SECONDS", LINKCHECK_TASK_TIME_LIMIT + 60)
# Tests and benchmarks only: allow loopback/private addresses, and (optionally) allow only these
# host names, so a test worker can never reach past 127.0.0.1.
LINKCHECK_ALLOW_PRIVATE_NETWORKS = env_bool("LINKCHECK_ALLOW_PRIVATE_NETWORKS", default=False)
LINKCHECK_ALLOWED_HOSTS = env_list("LINKCHECK_ALLOWED_HOSTS", [])
LINKCHECK_YOUTUBE_OEMBED_URL = env_str(
    "LINKCHECK_YOUTUBE_OEMBED_URL", "https://www.youtube.com/oembed"
)
LINKCHECK_DIGEST_DAYS = env_int("LINKCHECK_DIGEST_DAYS", 7)
# With acks_late, Redis hands an unacknowledged task to another worker after the visibility
# timeout: keep it above the longest task time limit.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BEAT_SCHEDULE["linkcheck-hourly-pass"] = {
    "task": "roadmaps.tasks.links_check_due",
    "schedule": env_float("LINKCHECK_PASS_EVERY_SECONDS", 3600.0),
}
CELERY_BEAT_SCHEDULE["linkcheck-weekly-digest"] = {
    "task": "roadmaps.tasks.links_email_digest",
    "schedule": env_float("LINKCHECK_DIGEST_EVERY_SECONDS", 7 * 24 * 3600.0),
}
