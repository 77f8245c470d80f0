"""Whole public pages from Django's cache, invalidated exactly when what they show changes.

A page is stored whole, response and headers, under a key made of:

- the content **generation**, a number kept in the cache itself and bumped whenever any
  content model is saved or deleted (``CONTENT_MODELS``, wired up in ``PagesConfig.ready``), so
  one edit makes every stored page unreachable at once, on every app server sharing the cache;
- **today's date** in the site's time zone: contact blocks have a first and a last day, so no
  page outlives the day it was made for;
- the **path and query string**; GET and HEAD share the key.

Only anonymous visitors are served from it (a request carrying a session or CSRF cookie is
staff, or on its way to the admin), and only public pages are stored (not the admin, not the
staff previews, nothing that sets a cookie, nothing but a 200, 301 or 404). A hit costs two
cache reads and no SQL query, so pages already stored are still served while the database is
down. The generation is read before the page is built: a page rendered while an edit lands is
stored under the old generation, where no one will look for it.

Each process also keeps the pages it served last in its own memory (``RecentPages``), under the
same keys: a hit then reads only the generation from the shared cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, set_response_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
# Everything a public page shows comes from these models (the historical records of
# simple_history show on no public page). Their many-to-many tables are included.
CONTENT_MODELS = [
    "articles.Article",
    "articles.SlugRedirect",
    "faqs.Question",
    "glossary.Term",
    "citations.Source",
    "citations.Claim",
    "citations.Citation",
    "clinics.ContactBlock",
    "clinics.OpeningHours",
    "pages.Page",
    "figures.Figure",
    "decisions.Comparison",
    # Search results: the words a search stands for, and the pages pinned to its top.
    "search.Synonym",
    "search.SynonymPhrase",
    "search.BestBet",
    # A reviewer's name is shown as "Last reviewed … by".
    settings.AUTH_USER_MODEL,
]
STORED_STATUSES = {200, 301, 404}
# Marks a request whose page must not be stored (a part of it failed and was left out).
INCOMPLETE = "_page_cache_incomplete"


# --- The generation -----------------------------------------------------------------------


def _fresh() -> int:
    # Never a number used before, so a generation that was evicted from the cache cannot come
    # back and reach pages stored under it long ago.
    return time.time_ns()


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = _fresh()
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation() -> None:
    """Make every stored page unreachable."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet, or evicted
        cache.add(GENERATION_KEY, _fresh(), timeout=None)


def content_changed(sender, using=None, update_fields=None, action="post_", **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed: bump now, and again once the
    transaction commits, so that a page built from the old data in between is not served."""
    if action.startswith("pre_"):
        return  # m2m_changed also announces changes before they happen
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a staff login, which no page shows
    bump_generation()
    transaction.on_commit(bump_generation, using=using, robust=True)


# --- The middleware -----------------------------------------------------------------------


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


def page_key(request, generation_now: int) -> str:
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"page:{generation_now}:{today():%Y%m%d}:{path}"


def is_public_path(path: str) -> bool:
    return not path.startswith(("/" + settings.ADMIN_URL, "/preview/"))


def skip_storing(request) -> None:
    """Do not store the page this request builds (call it when part of the page failed)."""
    if request is not None:
        setattr(request, INCOMPLETE, True)


class RecentPages:
    """The pages this process served last, in its own memory, in front of the shared cache.

    Keyed like the shared cache, generation included, so an entry is only ever found while it is
    current; the whole store is dropped as soon as a new generation is seen. A hit then costs
    one small shared read (the generation) instead of fetching and unpacking the page.
    """

    def __init__(self, size: int):
        self.size = size
        self.generation = None
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, generation_now: int):
        with self.lock:
            if generation_now != self.generation:
                self.pages.clear()
                self.generation = generation_now
                return None
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, generation_now: int, page: tuple) -> None:
        with self.lock:
            if generation_now != self.generation:
                return
            self.pages[key] = page
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def pack(response) -> tuple:
    return (response.status_code, list(response.items()), response.content)


def unpack(page: tuple) -> HttpResponse:
    status, headers, content = page
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serves and stores whole public pages for anonymous GET and HEAD requests.

    It sits inside ConditionalGetMiddleware, which answers 304 from the stored ETag, and
    before anything that may touch the database (sessions, authentication, the views).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT_PAGES)

    def __call__(self, request):
        if not self.may_serve(request):
            return self.get_response(request)
        # A Host header that is not allowed gets its 400 before anything is served.
        request.get_host()
        try:
            generation_now = generation()
            key = page_key(request, generation_now)
            page = self.recent.get(key, generation_now)
            if page is None:
                page = cache.get(key)
                if page is not None:
                    self.recent.put(key, generation_now, page)
        except Exception:  # the cache is down: serve the page uncached
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        if page is not None:
            return unpack(page)
        response = self.get_response(request)
        if self.may_store(request, response):
            if not response.has_header("ETag"):
                # ConditionalGetMiddleware would hash the body on every hit; hash it once here.
                set_response_etag(response)
            try:
                cache.set(key, pack(response), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("Page cache unavailable")
        return response

    @staticmethod
    def may_serve(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(settings.STATIC_URL)
            and is_public_path(request.path)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and settings.CSRF_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def may_store(request, response) -> bool:
        cache_control = response.get("Cache-Control", "").lower()
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        return (
            response.status_code in STORED_STATUSES
            and not response.streaming
            and not response.cookies
            and not getattr(request, INCOMPLETE, False)
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and vary <= {"cookie"}
        )
