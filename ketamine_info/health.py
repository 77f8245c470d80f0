"""``/healthz``: is this app server fit to take traffic? For the load balancer's health check.

It answers 200 while the database answers (the cache may be down: pages are then built from the
database, more slowly), and 503 when it does not; the JSON body says which part failed. It is
never cached and sets no cookie. Each check is bounded: the database by its connection, the cache
by CACHE_TIMEOUT_SECONDS.
"""

import json
import secrets

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


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
    state = {
        "status": "ok" if database and cache else "degraded" if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache else "unavailable",
    }
    response = HttpResponse(
        json.dumps(state) + "\n",
        status=200 if database else 503,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response
