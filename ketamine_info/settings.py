"""Settings for ketamine-info, read from the environment.

Every setting a deployment may change is an environment variable; the defaults are safe for a
developer's machine (SQLite in ./var, loopback hosts only). See the README's table.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
# DEPLOYMENT=production switches on everything HTTPS needs (see the Security banner below).
PRODUCTION = os.environ.get("DEPLOYMENT", "") == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=1 allows a development key)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# The public address of the site, used for canonical links, the sitemap and structured data.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Ketamine for depression: plain facts")

# Who publishes the site, as the About page (/about/) tells patients. Nothing is assumed: left
# empty, the page says plainly that it does not name them yet. SITE_FUNDING is one or two
# sentences on who pays for the site and any conflict of interest (e.g. "Paid for by Example
# Clinic, which offers ketamine treatment."); SITE_CONTACT_EMAIL is where readers report a
# mistake or ask about a page.
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "").strip()
SITE_PUBLISHER_URL = os.environ.get("SITE_PUBLISHER_URL", "").strip()
SITE_FUNDING = os.environ.get("SITE_FUNDING", "").strip()
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "").strip()

# Where the admin lives; a less guessable path cuts down on drive-by login attempts.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Days from a recorded clinical review to the next one due, when the reviewer sets no date.
CONTENT_REVIEW_INTERVAL_DAYS = int(os.environ.get("CONTENT_REVIEW_INTERVAL_DAYS", "365"))

# A phone number typed without + and a country code is read as a number in this country; numbers
# are stored, linked (tel:, sms:) and written to content files in E.164.
PHONENUMBER_DEFAULT_REGION = "US"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# Folder the content files are loaded from and exported to.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    # The admin, with the staff pages of ketamine_info.editorial (review dashboard, preview).
    "ketamine_info.editorial.sites.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    # Keeps each app's migrations a single line: max_migration.txt conflicts in git when two
    # branches add one, instead of two leaf migrations needing a merge migration.
    "django_linear_migrations",
    # Clinic phone numbers: parsed, checked and stored in E.164 (ketamine_info/clinics/phones.py).
    "phonenumber_field",
    "ketamine_info.pages",
    "ketamine_info.caching",
    "ketamine_info.citations",
    "ketamine_info.articles",
    "ketamine_info.faqs",
    "ketamine_info.glossary",
    "ketamine_info.figures",
    "ketamine_info.images",
    "ketamine_info.scheduling",
    "ketamine_info.decisions",
    "ketamine_info.clinics",
    "ketamine_info.contentsync",
    "ketamine_info.editorial",
    "simple_history",
    "axes",
    "ketamine_info.search",
    "ketamine_info.feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ketamine_info.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language of the page, from its address (/es/…) and nothing else.
    "ketamine_info.languages.LanguageFromPathMiddleware",
    # 414 for an oversized query string; 405 for POST and the like outside the admin.
    "ketamine_info.middleware.PublicRequestsMiddleware",
    # Public pages gzipped (the FAQ page is 280 KB of HTML, 40 KB gzipped); not the admin's,
    # which hold a CSRF token (see middleware.py). Above ConditionalGet, as Django asks.
    "ketamine_info.middleware.PublicGZipMiddleware",
    # ETag on every page, and 304 Not Modified when a browser already has this version.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole public pages from the cache, before anything that may touch the database.
    "ketamine_info.caching.page_cache.PageCacheMiddleware",
    # Django's; a session the database cannot save is staff's 503 page, not a 400.
    "ketamine_info.editorial.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each revision.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses logins for a while after repeated failures (django-axes); last, as it asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ketamine_info.urls"
WSGI_APPLICATION = "ketamine_info.wsgi.application"

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
                "ketamine_info.context_processors.site",
            ],
            # {% json_ld %}, used by every page: a site-level tag, so no app has to carry it.
            "libraries": {
                "structured_data": "ketamine_info.structured_data_tags",
                "review": "ketamine_info.review_tags",
            },
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

if not os.environ.get("DATABASE_URL"):
    # The embedded default: a SQLite file in ./var, which git ignores.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- SQLite under concurrent saves -------------------------------------------------------------

# Two staff saving at once, or a save during `load_content --force`, must wait their turn, not
# fail with "database is locked": WAL lets readers go on while one writer writes; every
# transaction takes the write lock at BEGIN (IMMEDIATE), so no transaction that has read can
# fail later when it tries to write; and a writer waits up to SQLITE_BUSY_TIMEOUT seconds for
# the lock (longer than a forced load of the whole content folder takes).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            # NORMAL is durable in WAL mode except against a power cut mid-commit.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# --- Cache -------------------------------------------------------------------------------------

# Two aliases: "default" for small shared values (the page generation, site-wide fragments) and
# "pages" for whole public pages (Django's cache middleware, ketamine_info/caching/page_cache.py).
# Every
# app server must share them, since an edit on one must reach all: Redis when REDIS_URL is set,
# as for several machines; otherwise files in ./var/cache, which the workers of one machine
# share. Cache trouble never fails a request (caching/guard.py): each Redis call gives up after
# CACHE_TIMEOUT_SECONDS, and after a failure the cache is left alone for CACHE_RETRY_SECONDS.
CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25"))
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
if os.environ.get("REDIS_URL"):
    _cache_prefix = os.environ.get("CACHE_KEY_PREFIX", "ketamine-info")
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": _cache_prefix,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
    }
    CACHES = {"default": _redis, "pages": {**_redis, "KEY_PREFIX": f"{_cache_prefix}:pages"}}
else:
    _cache_dir = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_cache_dir),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        # Apart, so that culling pages never drops the generation.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_cache_dir / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# How long a stored page may live. Edits invalidate it at once whatever this says; 0 turns the
# page cache off (the default with DEBUG=1, so that template changes show at once).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "86400"))
# The query parameters each page reads, by path; any other is dropped before the page cache
# looks the page up, so ?utm_source=… and the like share one cached page.
PAGE_QUERY_PARAMETERS = {
    "/search/": ("q", "literal"),
    "/es/buscar/": ("q", "literal"),
    "/feedback/thanks/": ("page",),
    "/es/feedback/thanks/": ("page",),
}
# The same for every page under a prefix (a key ending in "*"): a decision aid reads which
# options (o), which question (q) or everything (all) to show (decisions/selection.py).
PAGE_QUERY_PARAMETERS_BY_PREFIX = {"/compare/": ("o", "q", "all")}
# The only public pages that accept a POST, each checking its Origin header instead of a cookie:
# a decision aid's "weigh it up" form, answered with a private, unstored summary
# (decisions/views.py), and the readers' report form (feedback/views.py).
PUBLIC_FORM_PATH = r"^(/es)?/((compare|comparar)/[a-z0-9-]+/weigh|feedback)/$"
# Cache-Control of public pages for a reverse proxy or CDN (caching/edge.py): kept for
# PAGE_SHARED_MAX_AGE seconds, served stale while fetched again or while the app fails.
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "60"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_STALE_WHILE_REVALIDATE", "30"))
PAGE_STALE_IF_ERROR = int(os.environ.get("PAGE_STALE_IF_ERROR", "86400"))
# Reverse proxies to purge when content is published (caching/purge.py): comma-separated addresses
# that accept BAN, e.g. http://127.0.0.1:6081/ for Varnish on the same machine.
PURGE_URLS = env_list("PURGE_URLS", "")
PURGE_TIMEOUT_SECONDS = float(os.environ.get("PURGE_TIMEOUT_SECONDS", "0.5"))
# Longer query strings get a 414; no public page needs more.
MAX_QUERY_STRING_LENGTH = 2048

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
# English at unprefixed addresses, Spanish under /es/ (ketamine_info/translations.py).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded pictures (the files made from them: images/processing.py) go to the "default"
# storage: this folder unless STORAGES names another backend (e.g. S3 through django-storages).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Django serves MEDIA_ROOT itself in development and under `make run`; in production the web
# server does (docs/deploy.md), and this stays off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

# --- Security ---------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy in production; plain http on a developer's machine.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# The proxy's health probe asks for /healthz over plain HTTP, with no X-Forwarded-Proto: a
# redirect would mark every app server sick.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
# HSTS for the clinic's other subdomains, and the browsers' preload list, only when asked for:
# either can break other sites of the same domain for months and is hard to take back.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# `check --deploy` recommends both; leaving them off is this site's deliberate default.
SILENCED_SYSTEM_CHECKS = [
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
]
if env_bool("SECURE_PROXY_SSL_HEADER", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: public pages have no JavaScript at all, and JSON-LD
# blocks are data, not script. The admin's own scripts are static files from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# --- Staff login --------------------------------------------------------------------------

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failed logins for one username from one address, that pair is locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "editorial/locked_out.html"

# --- Safer defaults (issue 19) -------------------------------------------------------------

# After logging in with no usable ?next=, the admin (Django's default, /accounts/profile/, is
# a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

# --- Staff accounts (issue 19): passwords, two-step login, sessions, password reset ---------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]  # fmt: skip

# Two-step login (django-otp): a code from an authenticator app (TOTP) or a recovery code;
# required for superusers and clinical reviewers (ketamine_info/editorial/two_factor.py).
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# request.user.is_verified(): right after authentication.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Ketamine information")

# Only staff have sessions (public pages set no cookie). One ends after a working day without
# a request; each request starts the clock again.
SESSION_COOKIE_AGE = int(float(os.environ.get("STAFF_SESSION_HOURS", "10")) * 3600)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "ketamine_info.editorial.sessions.StaffSessionActivityMiddleware",
)

# Password reset by email ("Forgotten your password?" on the login page). Without EMAIL_HOST
# the email is printed on the console, for development.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_TIMEOUT = 3 * 3600  # a reset link works for three hours

# --- Staff login behind a reverse proxy (issue 19) ------------------------------------------

# Addresses (or networks, 10.0.0.0/8) of the reverse proxies in front of the app servers. Only
# requests from them have their X-Forwarded-For read, for the login lockout's client address
# (ketamine_info/editorial/login.py); from anyone else the header is ignored. Empty: the
# connecting address is the client's (no proxy).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "ketamine_info.editorial.login.client_ip"
# Each wrong password for one username beyond AXES_FAILURE_LIMIT (from any address) pauses that
# username for longer, up to this many seconds: until then, tries from addresses that already
# gave it a wrong password are refused at once (editorial/login.py). Nothing sleeps.
LOGIN_FAILURE_DELAY_MAX = float(os.environ.get("LOGIN_FAILURE_DELAY_MAX", "2"))

# --- Bounded work (issue 19) ------------------------------------------------------------------

# Text staff type (the live preview, every save) that takes longer than this to render is
# refused with a message, instead of holding a worker (ketamine_info/markup.py).
MARKUP_RENDER_SECONDS = float(os.environ.get("MARKUP_RENDER_SECONDS", "1"))

# --- Reader feedback --------------------------------------------------------------------------

# "Did this page help? / Report a mistake" (ketamine_info/feedback/): reports one address may
# send in an hour (the address itself is never stored), and the most the whole site takes in an
# hour, so no flood can fill the database.
FEEDBACK_PER_ADDRESS_PER_HOUR = int(os.environ.get("FEEDBACK_PER_ADDRESS_PER_HOUR", "5"))
FEEDBACK_PER_HOUR = int(os.environ.get("FEEDBACK_PER_HOUR", "300"))

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
