"""Public forms (the readers' report, a decision aid's "weigh it up") carry no CSRF token (a
token needs a cookie, and public pages set none), so the request's ``Origin`` header says
whether it was sent from one of this site's own pages.
Every current browser sends ``Origin`` with a form's POST; a request without one, or from
anywhere else, is refused."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_origins(request) -> set[str]:
    origins = {_origin(settings.SITE_URL)}
    # get_host() checks the Host header against ALLOWED_HOSTS.
    with suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}".lower())
    return origins - {""}


def from_this_site(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN", "").strip().lower()
    return bool(origin) and origin != "null" and origin in allowed_origins(request)
