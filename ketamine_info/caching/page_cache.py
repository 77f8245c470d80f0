"""Whole public pages through Django's cache middleware, on the ``pages`` cache alias.

Django's ``CacheMiddleware`` does the storing and the fetching. What this module adds:

- **Invalidation.** The cache *version* of each request is the content **generation** (a number
  in the default cache, bumped by one receiver whenever any content model is saved or deleted)
  and **today's date** in the site's time zone (contact blocks have a first and a last day). One
  edit makes every stored page unreachable at once, on every app server sharing the cache; the
  version is read before the page is built, so a page built while an edit lands is stored under
  the old version, where no one looks for it.
- **Who is served from it.** Every anonymous GET or HEAD of a public page, whatever cookies it
  carries: only a valid staff session skips the cache (``is_staff_request``). Query parameters
  a page does not read are dropped before the key is made (``canonical_query``), so
  ``?utm_source=…`` variants share one entry.
- **What is stored.** 200s with no cookie, no ``Vary: Cookie`` and nothing left out
  (``skip_storing``). A 404 or 301 is built each time (a query or three), as Django's
  middleware does; a reverse proxy in front keeps them for ``s-maxage``.
- **Never an error.** Every cache call goes through ``guard`` (``ketamine_info/caching/guard.py``):
  with the cache down or hanging, pages are built from the database.
- **Headers for the edge.** ``Cache-Control`` for shared caches (``edge.py``), set on every
  response that passes here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.middleware.cache import CacheMiddleware
from django.utils import timezone
from django.utils.cache import has_vary_header, set_response_etag
from django.utils.module_loading import import_string

from . import edge
from .guard import guard

PAGES = "pages"  # the cache alias whole pages are stored in
GENERATION_KEY = "pages:generation"
# Marks a request whose page must not be stored (a part of it failed and was left out).
INCOMPLETE = "_page_cache_incomplete"
STAFF = "_page_cache_staff"
# Mark a response from this process's memory (RecentPages), whose headers are final already,
# and one fetched from the shared cache, which this process then keeps too.
RECENT = "_page_cache_recent"
FETCHED = "_page_cache_fetched"


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


class _ThisRequest(threading.local):
    """The generation as this thread's request first read it. A page reads it for its own
    cache key and for each value it shares with other pages (shared.py); one cache read is
    enough, and all of them then agree. Forgotten when the request ends, and at once when this
    thread bumps it (a save in the request)."""

    active = False
    value: int | None = None


_this_request = _ThisRequest()


def generation() -> int | None:
    """The current generation, or None while the cache cannot be reached."""
    if _this_request.value is not None:
        return _this_request.value
    value = guard(_read_generation)
    if _this_request.active:
        _this_request.value = value
    return value


def _bump() -> None:
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet, or evicted
        cache.add(GENERATION_KEY, _fresh(), timeout=None)


def bump_generation() -> None:
    """Make every stored page unreachable (never raises: see guard.py)."""
    _this_request.value = None
    guard(_bump)


def content_models() -> list:
    """Every model whose rows a public page may show, derived rather than listed: the models
    of the project's own apps, and the models they point to (a reviewer's name comes from the
    user model)."""
    own = [m for m in apps.get_models() if m.__module__.startswith("ketamine_info.")]
    shown = {
        field.related_model
        for model in own
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is not None
    }
    return sorted({*own, *shown}, key=lambda m: m._meta.label)


def content_changed(sender, using=None, update_fields=None, action="post_", **kwargs) -> None:
    """The one receiver of post_save, post_delete and m2m_changed for every content model:
    bump now, and again once the transaction commits (so that a page built from the old data
    in between is not kept), then purge the reverse proxies."""
    if action.startswith("pre_"):
        return  # m2m_changed also announces changes before they happen
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a staff login, which no page shows
    bump_generation()
    transaction.on_commit(after_commit, using=using, robust=True)


def after_commit() -> None:
    from .purge import purge_proxies

    bump_generation()
    purge_proxies()


class Today:
    """Today's date in the site's time zone, worked out again only when a day ends."""

    def __init__(self):
        self.date: dt.date | None = None
        self.until = 0.0

    def __call__(self) -> dt.date:
        if time.time() >= self.until:
            now = timezone.localtime()
            tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
            self.date, self.until = now.date(), tomorrow.timestamp()
        return self.date


today = Today()


# --- Who is served from the cache ---------------------------------------------------------


def is_public_path(path: str) -> bool:
    return not path.startswith(("/" + settings.ADMIN_URL, "/preview/", "/healthz"))


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
    request.__dict__.pop("GET", None)  # parsed again from the new query string


# --- The middleware -----------------------------------------------------------------------


class RecentPages:
    """The pages this process served last, in its own memory, in front of Django's cache.

    Why it stays: through Django's cache middleware alone a hit costs about 0.5 ms more CPU
    than a static file of the same size (two cache reads, unpickling, URL hashing, the i18n key
    suffix), and the cached article measured 0.5x the static file's requests/s; from here it
    costs a dictionary lookup, and the article is back at the figure in docs/benchmarks.md.
    Keyed by the same version as the shared cache, so an entry is only ever found while it is
    current; the whole store is dropped as soon as a new version is seen.
    """

    def __init__(self, size: int):
        self.size = size
        self.version = None
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: str):
        with self.lock:
            if version != self.version:
                self.pages.clear()
                self.version = version
                return None
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, version: str, response) -> None:
        """Keeps ``response`` with the headers it leaves this middleware with (edge.py's)."""
        page = (response.status_code, list(response.items()), response.content)
        with self.lock:
            if version != self.version:
                return
            self.pages[key] = page
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def unpack(page: tuple) -> HttpResponse:
    status, headers, content = page
    return HttpResponse(content, status=status, headers=headers)


class PageCacheMiddleware(CacheMiddleware):
    """Django's cache middleware on the ``pages`` alias, for anonymous GET and HEAD requests of
    public pages, under a version that moves with every edit and every day.

    It sits inside ConditionalGetMiddleware, which answers 304 from the stored ETag, and
    before anything that may touch the database (sessions, authentication, the views).
    """

    def __init__(self, get_response):
        super().__init__(get_response, cache_alias=PAGES, key_prefix="")
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT_PAGES)

    @property
    def page_timeout(self):
        return settings.PAGE_CACHE_SECONDS  # read per response, so tests may change it

    @page_timeout.setter
    def page_timeout(self, value):
        pass  # CacheMiddleware.__init__ assigns it; the setting wins

    def __call__(self, request):
        _this_request.active, _this_request.value = True, None
        try:
            return super().__call__(request)
        finally:
            _this_request.active, _this_request.value = False, None

    def process_request(self, request):
        request._cache_update_cache = False
        setattr(request, STAFF, False)
        if request.method not in ("GET", "HEAD") or not is_public_path(request.path):
            return None
        # A Host header that is not allowed gets its 400 before anything is served.
        host = request.get_host()
        if is_staff_request(request):
            setattr(request, STAFF, True)
            return None
        canonical_query(request)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        generation_now = generation()
        if generation_now is None:
            return None  # the cache is down: build the page
        request._page_version = version = f"{generation_now}.{today():%Y%m%d}"
        request._page_key = key = f"{request.scheme}://{host}{request.get_full_path()}"
        page = self.recent.get(key, version)
        if page is not None:
            setattr(request, RECENT, True)
            return unpack(page)
        response = guard(self.fetch, request, version)
        setattr(request, FETCHED, response is not None)
        return response

    def fetch(self, request, version: str):
        # The cache object is this thread's own (django.core.cache.caches is thread-local): the
        # version set here is the one this request's fetch and store use.
        self.cache.version = version
        return super().process_request(request)

    def store(self, request, response) -> bool:
        super().process_response(request, response)
        return True

    def process_response(self, request, response):
        if getattr(request, RECENT, False):
            return response  # as it left here the first time, edge headers and all
        # Kept in this process's memory: a page fetched from the shared cache, or built and
        # stored there now.
        remember = getattr(request, FETCHED, False)
        if getattr(request, "_cache_update_cache", False):
            request._cache_update_cache = False
            if self.may_store(request, response):
                if not response.has_header("ETag"):
                    # ConditionalGetMiddleware would hash the body on every hit: once here.
                    set_response_etag(response)
                request._cache_update_cache = True  # what Django's middleware looks at
                remember = guard(self.store, request, response, default=False)
                request._cache_update_cache = False
        edge.set_headers(request, response, staff=getattr(request, STAFF, False))
        if remember:
            self.recent.put(request._page_key, request._page_version, response)
        return response

    @staticmethod
    def may_store(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and not getattr(request, INCOMPLETE, False)
            and not any(word in response.get("Cache-Control", "") for word in edge.UNSHAREABLE)
        )
