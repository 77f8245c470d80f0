"""``/healthz``: is this app server fit to take traffic? For the load balancer's health check.

It answers 200 while the database answers and takes writes (the cache may be down: pages are then
built from the database, more slowly), and 503 when it does not answer or is read-only (staff
could not save anything); the JSON body says which part failed. It is never cached, sets no
cookie, and is answered over plain HTTP even in production (settings.SECURE_REDIRECT_EXEMPT): a
proxy's health probe does not come through TLS. Each check is bounded: the database by its
connection (and a short wait for SQLite's write lock), the cache by CACHE_TIMEOUT_SECONDS.
"""

import json
import secrets

from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse

# How long (ms) a SQLite health check waits for the write lock (a save holds it for a moment).
SQLITE_LOCK_WAIT_MS = 500


def _database() -> str:
    """ "ok", "read-only" (answers, but no save could succeed) or "unavailable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                return "unavailable"
            return "ok" if _writable(cursor) else "read-only"
    except DatabaseError:
        return "unavailable"


def _writable(cursor) -> bool:
    if connection.vendor == "postgresql":
        # On for a standby, or a database or role set read-only.
        cursor.execute("SHOW transaction_read_only")
        return cursor.fetchone()[0] == "off"
    if connection.vendor == "sqlite":
        # A write that is undone: it needs the write lock and a writable file, as a save does.
        cursor.execute("PRAGMA busy_timeout")
        (waited,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")
        try:
            with transaction.atomic():
                cursor.execute("PRAGMA user_version")
                (version,) = cursor.fetchone()
                cursor.execute(f"PRAGMA user_version = {int(version)}")
                transaction.set_rollback(True)
        except DatabaseError:
            return False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return True


def _cache() -> bool:
    # A real round trip, past guard.py's memory of an outage.
    try:
        cache = caches["default"]
        token = secrets.token_hex(4)
        cache.set("healthz", token, timeout=60)
        return cache.get("healthz") == token
    except Exception:
        return False


def healthz(request):
    database, cache = _database(), _cache()
    healthy = database == "ok"
    state = {
        "status": "ok" if healthy and cache else "degraded" if healthy else "unavailable",
        "database": database,
        "cache": "ok" if cache else "unavailable",
    }
    response = HttpResponse(
        json.dumps(state) + "\n",
        status=200 if healthy else 503,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response
