"""One invalidation per committed transaction that changes what patients see.

Every way content reaches or leaves public pages announces it
(``publishing.announce_public_change``: a publish, an unpublish, a reviewed change applied,
``load_content --publish``, ``rerender_markup``); a pending change, a send-back, a login or a
history row announce nothing.
``invalidate_on_commit`` receives the announcement and, once per transaction, arranges for
``invalidate()`` to run after the commit: the page cache's generation moves
(``page_cache.bump_generation``), then every reverse proxy is banned (``purge.py``). Both wait
for the commit: before it, a page built again would be built from the old rows.

What could not be done (the cache or a proxy unreachable) is owed: an ``OwedInvalidation`` row,
in the database every app server shares, which outlives a worker's restart. It is paid by the
next invalidation that succeeds, by ``replay_owed()`` when ``guard.py`` sees the cache come
back, and by a check every ``CACHE_RETRY_SECONDS`` in each process (one that never saw the
outage: the worker that published it may have been restarted since).
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

from .models import OwedInvalidation
from .page_cache import bump_generation
from .purge import purge_proxies

logger = logging.getLogger("ketamine_info.cache")


class _Batch:
    """The announcements of one transaction: the first callback to run after its commit
    invalidates, the others find it done. A transaction rolled back leaves its batch undone,
    for the next transaction on the same connection to use."""

    done = False


_batches = threading.local()


def invalidate_on_commit(sender=None, using=None, **kwargs) -> None:
    """Receiver of ``public_content_changed``."""
    using = using or DEFAULT_DB_ALIAS
    if not hasattr(_batches, "by_alias"):
        _batches.by_alias = {}
    batches = _batches.by_alias
    batch = batches.get(using)
    if batch is None or batch.done:
        batch = batches[using] = _Batch()
    transaction.on_commit(partial(_after_commit, batch), using=using, robust=True)


def _after_commit(batch: _Batch) -> None:
    if not batch.done:
        batch.done = True
        invalidate()


def invalidate(*, record: bool = True) -> bool:
    """Make every cached page stale, here and in the proxies; True when all of it was done. What
    failed is recorded as owed (with ``record``); what is owed is paid when all succeeded."""
    try:
        owed_until = OwedInvalidation.objects.order_by("-pk").values_list("pk", flat=True).first()
    except DatabaseError:
        owed_until = None
    problems = []
    if not bump_generation():
        problems.append("page cache unreachable")
    problems += purge_proxies()
    try:
        if problems and record:
            OwedInvalidation.objects.create(problem="; ".join(problems)[:300])
        elif not problems and owed_until is not None:
            # Only rows that were there before this began: a later one may be for a change
            # committed after this bump.
            OwedInvalidation.objects.filter(pk__lte=owed_until).delete()
    except DatabaseError as error:
        logger.warning("Could not record the page cache's invalidation: %s", error)
    return not problems


def replay_owed() -> None:
    """Pay what is owed, if anything (``guard``'s hook when the cache is back)."""
    try:
        if not OwedInvalidation.objects.exists():
            return
    except DatabaseError:
        return
    logger.warning("Replaying an invalidation the cache or a proxy missed")
    invalidate(record=False)


class _Every:
    """``replay_owed()`` at most once every ``CACHE_RETRY_SECONDS`` in this process."""

    def __init__(self):
        self.next_at = 0.0

    def __call__(self, *args, **kwargs) -> None:  # also request_started's receiver
        now = time.monotonic()
        if now < self.next_at:
            return
        self.next_at = now + settings.CACHE_RETRY_SECONDS
        replay_owed()


replay_if_due = _Every()
