"""Staff login: who is knocking (the client address behind a trusted proxy), and slowing a
stream of wrong passwords for one username without ever locking its owner out, or holding a
worker.

django-axes locks a (username, address) pair after ``AXES_FAILURE_LIMIT`` failures. That only
protects the real person if the address is the visitor's own: behind a reverse proxy every
request comes from the proxy's address, so strangers could lock anyone out. ``client_ip`` takes
the address from ``X-Forwarded-For`` only when the request arrives from a proxy listed in
``TRUSTED_PROXIES``; from anyone else the header is ignored, so it cannot be forged.

Past the limit, each wrong password for a username (from any address) pauses that username:
until a time, its logins from any address that has already given it a wrong password are
refused at once, without checking the password (``StaffLoginForm`` asks ``seconds_to_wait``).
Nothing sleeps: a sync worker asleep is a worker no patient gets, and a trickle of guesses
would take them all. The pause lives in the shared
cache, so every app server keeps it; if the cache is down, nobody is paused (the lockout of
each address still holds).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.db.models import Sum
from django.dispatch import receiver

from ketamine_info.caching.guard import guard


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.TRUSTED_PROXIES]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or, when that is a trusted proxy, the right-most
    address in X-Forwarded-For that is not itself a trusted proxy (each proxy appends the
    address it was connected from, so everything left of that could have been typed by the
    visitor)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks()
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address.strip("[]")))
            except ValueError:
                return remote  # garbage from a proxy we trust: its own address, not the junk
    return remote


def failures_for(username: str) -> int:
    from axes.models import AccessAttempt

    total = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def failure_delay(failures: int) -> float:
    """Seconds a username stays paused after a wrong password: none for the first
    ``AXES_FAILURE_LIMIT`` failures of a username (from any address), then doubling up to
    LOGIN_FAILURE_DELAY_MAX. Wrong passwords pause it, and wrong codes (``wrong_code``)."""
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return 0.0
    return min(0.25 * 2**over, settings.LOGIN_FAILURE_DELAY_MAX)


now = time.time  # replaced in tests


def _pause_key(username: str) -> str:
    return "login-paused:" + hashlib.sha256(username.encode()).hexdigest()


def seconds_to_wait(username: str) -> float:
    """How long logins for ``username`` are still refused (0: not paused)."""
    until = guard(caches["default"].get, _pause_key(username), default=None)
    return max(0.0, until - now()) if until else 0.0


def pause(username: str, seconds: float) -> None:
    guard(
        caches["default"].set,
        _pause_key(username),
        now() + seconds,
        timeout=math.ceil(seconds) + 1,
    )


def wrong_code(request, username: str) -> None:
    """A wrong two-step login code after the right password: a failed login like a wrong
    password, so django-axes' lockout of the address counts it (and so does the pause)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# Connected before django-axes' receiver (the editorial app is listed first), so failures_for
# counts the failures before this one.
@receiver(user_login_failed, dispatch_uid="ketamine_info.slow_repeated_failures")
def slow_repeated_failures(sender, credentials, request=None, **kwargs):
    from axes.handlers.proxy import AxesProxyHandler

    username = (credentials or {}).get("username")
    if request is None or not username:
        return
    # A locked-out attempt was refused before any password was checked: it pauses nothing.
    if AxesProxyHandler.is_locked(request, {"username": username}):
        return
    delay = failure_delay(failures_for(username))
    if delay:
        pause(username, delay)
