"""Whole public pages through Django's cache middleware, on the ``pages`` cache alias.

Django's ``CacheMiddleware`` does the storing and the fetching. What this module adds:

- **Invalidation.** Each request's key prefix is the content **generation** (a number in the
  default cache, moved once per committed publish: invalidation.py) and **today's date** in the
  site's time zone (contact blocks have a first and a last day). One publish makes every stored
  page unreachable at once, on every app server sharing the cache; the prefix is read before
  the page is built, so a page built while a publish lands is stored under the old prefix,
  where no one looks for it.
- **Who is served from it.** Every anonymous GET or HEAD of a public page, whatever cookies it
  carries: only a valid staff session skips the cache (``is_staff_request``). Query parameters
  a page does not read are dropped before the key is made (``canonical_query``), so
  ``?utm_source=…`` variants share one entry.
- **What is stored.** What Django's middleware stores (200s, nothing marked private), and so
  nothing for staff, nothing setting a cookie and nothing with a part left out
  (``skip_storing``), which are marked ``private, no-store`` first (edge.py).
- **Never an error.** Every cache call goes through ``guard`` (guard.py): with the cache down
  or hanging, pages are built from the database.
- **Headers for the edge.** ``Cache-Control`` for shared caches (edge.py), set on every
  response that passes here.
"""

from __future__ import annotations

import hashlib
import re
import time
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import auth
from django.core.cache import caches
from django.db import DatabaseError
from django.http import QueryDict
from django.middleware.cache import CacheMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.module_loading import import_string

from . import edge
from .guard import guard

PAGES = "pages"  # the cache alias whole pages are stored in
GENERATION_KEY = "pages:generation"
# Set on a request whose page must not be stored (a part of it failed and was left out), and on
# one from a staff session.
INCOMPLETE = "page_cache_incomplete"
STAFF = "page_cache_staff"
LOOKED_UP = "page_cache_looked_up"
UNREACHABLE = object()


# --- The generation -----------------------------------------------------------------------


def _fresh() -> int:
    # Never a number used before, so a generation that was evicted from the cache cannot come
    # back and reach pages stored under it long ago.
    return time.time_ns()


def _read_generation() -> int:
    cache = caches["default"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = _fresh()
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)
    return value


def generation() -> int | None:
    """The current generation, or None while the cache cannot be reached."""
    return guard(_read_generation)


def _bump() -> bool:
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet, or evicted
        cache.add(GENERATION_KEY, _fresh(), timeout=None)
    return True


def bump_generation() -> bool:
    """Make every stored page unreachable; False if the cache could not be reached (never
    raises: see guard.py)."""
    return guard(_bump, default=False)


# --- Who is served from the cache ---------------------------------------------------------


def skip_storing(request) -> None:
    """Do not store the page this request builds (call it when part of the page failed)."""
    if request is not None:
        setattr(request, INCOMPLETE, True)


# Session keys of Django's database and cache engines: 32 lowercase letters and digits.
SESSION_KEY = re.compile(r"[a-z0-9]{32}")


def _staff_marker(session_key: str) -> str:
    return "staff-session:" + hashlib.sha256(session_key.encode()).hexdigest()


def staff_logged_in(sender, request, user, **kwargs) -> None:
    """Receiver of user_logged_in: remember, in the cache, that this session may be staff's, so
    that a request with any other session key is told apart without a database query."""
    key = getattr(request, "session", None) and request.session.session_key
    if key and user.is_staff:
        age = settings.SESSION_COOKIE_AGE
        guard(lambda: caches["default"].set(_staff_marker(key), 1, timeout=age))


def staff_logged_out(sender, request, **kwargs) -> None:
    key = getattr(request, "session", None) and request.session.session_key
    if key:
        guard(lambda: caches["default"].delete(_staff_marker(key)))


class _SessionOnly:
    """What ``auth.get_user`` needs of a request."""

    def __init__(self, session):
        self.session = session


def is_staff_request(request) -> bool:
    """True only for a valid session of an active staff member.

    Forged session cookies must cost next to nothing (they are sent to get past the cache): a
    value that is not a session key costs nothing, one that is costs one cache read (the marker
    ``staff_logged_in`` set). Only a marked key is checked for real, with the session engine
    and the user's session hash. With the cache or the database down, the visitor is anonymous.
    A staff session whose marker is gone (evicted, or older than it) sees public pages as
    everyone does, from the cache; the admin and the previews are unaffected.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or not SESSION_KEY.fullmatch(key):
        return False
    if not guard(lambda: caches["default"].get(_staff_marker(key))):
        return False
    try:
        store = import_string(settings.SESSION_ENGINE + ".SessionStore")(key)
        if auth.SESSION_KEY not in store:
            return False
        user = auth.get_user(_SessionOnly(store))
        return bool(user.is_active and user.is_staff)
    except (DatabaseError, OSError, ConnectionError):
        return False


def canonical_query(request) -> None:
    """Drop the query parameters the page does not read (``PAGE_QUERY_PARAMETERS``, by path), so
    the page is looked up, built and stored once for all of them; what is kept is sorted."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    used = settings.PAGE_QUERY_PARAMETERS.get(request.path_info) or next(
        (
            names
            for prefix, names in settings.PAGE_QUERY_PARAMETERS_BY_PREFIX.items()
            if request.path_info.startswith(prefix)
        ),
        (),
    )
    kept = sorted(
        (name, value) for name, value in parse_qsl(query, keep_blank_values=True) if name in used
    )
    request.META["QUERY_STRING"] = urlencode(kept)
    request.GET = QueryDict(request.META["QUERY_STRING"])


# --- The middleware -----------------------------------------------------------------------

# The key prefix of the request this thread (or task) is serving: its generation and day.
_prefix: ContextVar[str] = ContextVar("page_cache_prefix", default="")


class PageCacheMiddleware(CacheMiddleware):
    """Django's cache middleware on the ``pages`` alias, for anonymous GET and HEAD requests of
    public pages, under a key prefix that moves with every publish and every day.

    It sits inside ConditionalGetMiddleware, which answers 304 from the stored ETag, and
    before anything that may touch the database (sessions, authentication, the views). A
    request it does not hand to Django's middleware (staff, the admin, the cache down) is
    neither looked up nor stored.
    """

    def __init__(self, get_response):
        super().__init__(get_response, cache_alias=PAGES)

    @property
    def page_timeout(self):
        return settings.PAGE_CACHE_SECONDS  # read per response, so tests may change it

    @page_timeout.setter
    def page_timeout(self, value):
        pass  # CacheMiddleware.__init__ assigns it; the setting wins

    @property
    def key_prefix(self):
        return _prefix.get()

    @key_prefix.setter
    def key_prefix(self, value):
        pass  # CacheMiddleware.__init__ assigns it; each request sets its own (process_request)

    def __call__(self, request):
        token = _prefix.set("")
        try:
            return super().__call__(request)
        finally:
            _prefix.reset(token)

    def process_request(self, request):
        if request.method not in ("GET", "HEAD") or not edge.is_public_path(request.path):
            return None
        request.get_host()  # a Host header that is not allowed gets its 400 before anything
        if is_staff_request(request):
            setattr(request, STAFF, True)
            return None
        canonical_query(request)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        current = generation()
        if current is None:
            return None  # the cache is down: build the page
        _prefix.set(f"{current}.{timezone.localdate():%Y%m%d}")
        found = guard(super().process_request, request, default=UNREACHABLE)
        if found is UNREACHABLE:
            return None
        setattr(request, LOOKED_UP, True)  # and so Django's middleware may store the page
        return found

    def process_response(self, request, response):
        staff = getattr(request, STAFF, False)
        if edge.must_be_private(request, response, staff=staff) or getattr(
            request, INCOMPLETE, False
        ):
            # Neither Django's middleware nor any shared cache keeps it.
            patch_cache_control(response, private=True, no_store=True)
        elif (
            response.status_code == 200
            and not response.streaming
            and not response.has_header("ETag")
        ):
            # ConditionalGetMiddleware would hash the body on every hit: once here.
            set_response_etag(response)
        if getattr(request, LOOKED_UP, False):
            response = guard(super().process_response, request, response, default=response)
        edge.set_headers(request, response, staff=staff)
        return response
