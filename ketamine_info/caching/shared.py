"""Values many pages share, worked out once per content generation: ``shared(name, compute)``.

What goes here is the same on many pages and changes only when content does: the article list
behind every pager, the questions of a topic, today's contact blocks (on every page, in the
footer), whether the questions-to-ask page exists. Each is one query when a page is built, and
a query costs about 0.5 ms of CPU however small it is, mostly the ORM building its SQL (issue 17,
docs/benchmarks.md). A page the page cache does not hold (every search, the first visit of each
page after an edit, every page with the page cache off) would pay it for each of them.

Each is kept in the default cache under its name, with the content generation it was worked
out in (``page_cache.py``), and used only while that generation is current: the one receiver
that makes every stored page stale makes these stale too, on every app server. One entry per
name, written over rather than one per generation: Django's file cache lists its whole folder
on every write (11 ms of CPU a write among 5,000 stored pages, 0.3 ms among a few dozen), and
Redis keeps no entry that will never be read again.
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
from .page_cache import generation

T = TypeVar("T")

# A day, so that a name no page asks for any more does not stay for good.
TIMEOUT_SECONDS = 86_400
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
    cache = caches["default"]
    key = f"shared:{name}"
    found = guard(cache.get, key)
    if found is not None and found[0] == version:
        return found[1]
    value = compute()
    # Another process may write an older generation's value over it: then the next read finds
    # a generation that is not current, and works the value out again.
    guard(cache.set, key, (version, value), timeout=TIMEOUT_SECONDS)
    return value
