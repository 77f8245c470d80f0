"""Purging the reverse proxies when content changes (invalidation.py calls it after a commit).

Every page shows something from every other (the article list, the contact blocks, the
citations), and the page cache is invalidated whole for the same reason, so a purge bans every
page of the site: one ``BAN`` request to each address in ``PURGE_URLS`` (Varnish, as configured
by deploy/varnish/ketamine.vcl, which bans every object it fetched from the site, whatever host
name it was asked for). A purge that fails is logged and returned, to be replayed; the staff
member's save stands, and ``s-maxage`` (edge.py) bounds how long the proxy serves the old page.
"""

import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("ketamine_info.cache")


def purge_proxies() -> list[str]:
    """BAN on every proxy; what failed, one line per proxy (empty when all were purged)."""
    host = urlsplit(settings.SITE_URL).netloc
    problems = []
    for url in settings.PURGE_URLS:
        address = urlsplit(url)
        connection = http.client.HTTPConnection(
            address.hostname, address.port or 80, timeout=settings.PURGE_TIMEOUT_SECONDS
        )
        try:
            connection.request("BAN", address.path or "/", headers={"Host": host})
            status = connection.getresponse().status
            if status != 200:
                problems.append(f"purge refused by {url}: HTTP {status}")
        except OSError as error:
            problems.append(f"purge failed at {url}: {error}")
        finally:
            connection.close()
    for problem in problems:
        logger.warning("Purge of %s: %s", host, problem)
    return problems
