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
    "ketamine_info.pages",
    "ketamine_info.citations",
    "ketamine_info.articles",
    "ketamine_info.faqs",
    "ketamine_info.glossary",
    "ketamine_info.figures",
    "ketamine_info.clinics",
    "ketamine_info.contentsync",
    "ketamine_info.editorial",
    "simple_history",
    "axes",
    "ketamine_info.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ketamine_info.pages.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 414 for an oversized query string; 405 for POST and the like outside the admin.
    "ketamine_info.pages.middleware.PublicRequestsMiddleware",
    # Public pages gzipped (the FAQ page is 280 KB of HTML, 40 KB gzipped); not the admin's,
    # which hold a CSRF token (see pages/middleware.py). Above ConditionalGet, as Django asks.
    "ketamine_info.pages.middleware.PublicGZipMiddleware",
    # ETag on every page, and 304 Not Modified when a browser already has this version.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole public pages from the cache, before anything that may touch the database.
    "ketamine_info.pages.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
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
                "ketamine_info.pages.context_processors.site",
            ],
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

# --- Cache -------------------------------------------------------------------------------------

# Public pages are served from the cache (ketamine_info/pages/cache.py). Every app server must
# share it, since an edit on one must reach all: Redis when REDIS_URL is set, as for several
# machines; otherwise files in ./var/cache, which the workers of one machine share.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ketamine-info"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# How long a stored page may live. Edits invalidate it at once whatever this says; 0 turns the
# page cache off (the default with DEBUG=1, so that template changes show at once).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "86400"))
# Pages each process also keeps in its own memory, in front of the shared cache.
PAGE_CACHE_RECENT_PAGES = int(os.environ.get("PAGE_CACHE_RECENT_PAGES", "200"))
# Longer query strings get a 414; no public page needs more.
MAX_QUERY_STRING_LENGTH = 2048

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
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
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
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

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
