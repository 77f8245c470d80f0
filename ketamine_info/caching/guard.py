"""Cache trouble degrades, never fails: ``guard(call, ...)`` runs a cache call and returns
``default`` instead of raising.

The socket timeouts in settings.py (``CACHE_TIMEOUT_SECONDS``) bound one call to Redis that
hangs. After a failure the cache is left alone for ``CACHE_RETRY_SECONDS``: requests in between
do not wait on it at all, and one request per process tries it again afterwards. The outage is
logged once per process when it starts and once when it ends, not per request.

What must happen when the cache comes back is registered with ``guard.on_recover(hook)`` (the
page cache replays the invalidations it missed: invalidation.py). The hooks also run on a
process's first call that reaches the cache: a process started during an outage, or after one,
cannot know what it missed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger("ketamine_info.cache")


class Guard:
    def __init__(self):
        self.retry_at = 0.0  # while in the future, the cache is taken to be down
        self.down = False
        self.reached = False  # whether this process has reached the cache yet
        self.hooks: list[Callable[[], None]] = []
        self.lock = threading.Lock()

    def on_recover(self, hook: Callable[[], None]) -> None:
        if hook not in self.hooks:
            self.hooks.append(hook)

    def __call__(self, call, *args, default=None, **kwargs):
        if self.down and time.monotonic() < self.retry_at:
            return default
        try:
            result = call(*args, **kwargs)
        except Exception as error:  # any backend: Redis, files, memcached
            self.failed(error)
            return default
        if self.down or not self.reached:
            self.recovered()
            if self.down:  # a hook found the cache gone again
                return default
            try:
                return call(*args, **kwargs)  # read again after the hooks
            except Exception as error:
                self.failed(error)
                return default
        return result

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + settings.CACHE_RETRY_SECONDS
            if self.down:
                return
            self.down = True
        logger.warning(
            "Cache unavailable (%s: %s); pages are built from the database until it is back",
            type(error).__name__,
            error,
        )

    def recovered(self) -> None:
        with self.lock:
            if not self.down and self.reached:
                return
            was_down, self.down, self.reached = self.down, False, True
        if was_down:
            logger.warning("Cache available again")
        for hook in self.hooks:
            try:
                hook()
            except Exception:  # a hook's trouble must not fail the request either
                logger.exception("A cache recovery hook failed")

    def reset(self) -> None:
        """Forget any outage (for tests)."""
        self.down, self.retry_at, self.reached = False, 0.0, True


guard = Guard()
