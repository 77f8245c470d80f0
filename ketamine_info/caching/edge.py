"""Cache-Control for caches outside the site: a reverse proxy (docs/deploy.md) or a CDN.

A public page may be kept by a shared cache for ``PAGE_SHARED_MAX_AGE`` seconds (``s-maxage``),
served stale for a while longer as it is fetched again (``stale-while-revalidate``) or while the
app servers fail (``stale-if-error``); browsers revalidate every time (``max-age=0``), which
the ETag makes a 304. A publish purges the proxies at once (purge.py); if a purge is lost,
``s-maxage`` bounds how long the old page is shown. Anything for staff, with a session or
setting a cookie is ``private, no-store``, so no shared cache ever gives it to someone else.
"""

from django.conf import settings
from django.utils.cache import has_vary_header, patch_cache_control

SHARED_STATUSES = {200, 301, 404}
UNSHAREABLE = ("private", "no-store", "no-cache")


def is_public_path(path: str) -> bool:
    return not path.startswith(("/" + settings.ADMIN_URL, "/preview/", "/healthz"))


def shared_cache_control() -> str:
    return (
        f"max-age=0, s-maxage={settings.PAGE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PAGE_STALE_IF_ERROR}"
    )


def must_be_private(request, response, *, staff: bool) -> bool:
    return bool(
        staff
        or not is_public_path(request.path)
        or response.cookies
        or has_vary_header(response, "Cookie")
    )


def set_headers(request, response, *, staff: bool) -> None:
    if must_be_private(request, response, staff=staff):
        patch_cache_control(response, private=True, no_store=True)
        return
    cache_control = response.get("Cache-Control", "").lower()
    if (
        request.method in ("GET", "HEAD")
        and response.status_code in SHARED_STATUSES
        and not any(word in cache_control for word in UNSHAREABLE)
    ):
        # Expires, Age and max-age were the page cache's own bookkeeping (Django's cache
        # middleware adds them); what leaves the site is this one policy.
        del response["Expires"]
        del response["Age"]
        response["Cache-Control"] = shared_cache_control()
