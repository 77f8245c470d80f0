"""Values many pages share, worked out once per content generation: ``shared(name, compute)``.

What goes here is the same on many pages and changes only when content does: the article list
behind every pager, the questions of a topic, today's contact blocks (on every page, in the
footer), whether the questions-to-ask page exists. Each is one query when a page is built, and
a query costs about 0.5 ms of CPU however small it is, mostly the ORM building its SQL (issue 17,
docs/benchmarks.md). A page the page cache does not hold (every search, the first visit of each
page after an edit, every page with the page cache off) would pay it for each of them.

They live beside the pages, in the ``pages`` cache, under the same generation (``page_cache.py``):
the one receiver that makes every stored page stale makes these stale too, on every app server,
and culling old entries there never drops the generation itself (kept in the default cache).
A value that depends on anything else says so in its name (contact blocks: the day).

Two rules keep a patient from seeing what no reviewer approved:

- While a page is built from a change that is then rolled back (the reviewer's preview,
  ``editorial/review_views.py``), nothing is read from here or stored here (``unshared()``):
  storing what it read would show the change to patients, and reading what a public page
  stored would show the reviewer the page without the change.
- With the cache down (``guard.py``) every value is worked out each time, from the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import caches

from .guard import guard
from .page_cache import PAGES, generation

T = TypeVar("T")

# A day: a generation is only ever current until the next edit, and a key of Redis must not
# outlive its use for good (old generations are never read again).
TIMEOUT_SECONDS = 86_400
_MISSING = object()
_local = threading.local()


@contextmanager
def unshared() -> Iterator[None]:
    """Within this block, this thread works every shared value out from the database."""
    before = getattr(_local, "off", False)
    _local.off = True
    try:
        yield
    finally:
        _local.off = before


def shared(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before in this content generation. ``name`` says what
    the value is, and everything it depends on besides the content:
    ``"related-questions:side-effects"``, ``"contact-blocks:20261201"``."""
    if getattr(_local, "off", False):
        return compute()
    version = generation()
    if version is None:
        return compute()
    cache = caches[PAGES]
    key = f"shared:{name}"
    found = guard(lambda: cache.get(key, _MISSING, version=version), default=_MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    guard(lambda: cache.set(key, value, timeout=TIMEOUT_SECONDS, version=version))
    return value
