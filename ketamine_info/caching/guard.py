"""Cache trouble degrades, never fails: ``guard(call, ...)`` runs a cache call and returns
``default`` instead of raising.

The socket timeouts in settings.py (``CACHE_TIMEOUT_SECONDS``) bound one call to Redis that
hangs. After a failure the cache is left alone for ``CACHE_RETRY_SECONDS``: requests in between
do not wait on it at all, and one request per process tries it again afterwards. The outage is
logged once per process when it starts and once when it ends, not per request. When the cache
comes back, the generation is bumped: saves made meanwhile could not bump it, and the cache
may still hold pages from before them.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("ketamine_info.cache")


class Guard:
    def __init__(self):
        self.retry_at = 0.0  # while in the future, the cache is taken to be down
        self.down = False
        self.lock = threading.Lock()

    def __call__(self, call, *args, default=None, **kwargs):
        if self.down and time.monotonic() < self.retry_at:
            return default
        try:
            result = call(*args, **kwargs)
        except Exception as error:  # any backend: Redis, files, memcached
            self.failed(error)
            return default
        if self.down:
            self.recovered()
            return self(call, *args, default=default, **kwargs)  # read after the bump
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
            if not self.down:
                return
            self.down = False
        logger.warning("Cache available again; every cached page is made stale")
        from .page_cache import bump_generation

        bump_generation()

    def reset(self) -> None:
        """Forget any outage (for tests)."""
        self.down, self.retry_at = False, 0.0


guard = Guard()
