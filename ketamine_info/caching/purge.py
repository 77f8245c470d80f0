"""Purging the reverse proxies when content changes (the hook ``after_commit`` calls).

Every page shows something from every other (the article list, the contact blocks, the
citations), and the page cache is invalidated whole for the same reason, so a purge bans every
page of the site's host: one ``BAN`` request to each address in ``PURGE_URLS`` (Varnish, as
configured by deploy/varnish/ketamine.vcl). A purge that fails is logged and otherwise
ignored: the staff member's save stands, and ``s-maxage`` (edge.py) bounds how long the proxy
serves the old page.
"""

import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("ketamine_info.cache")


def purge_proxies() -> None:
    host = urlsplit(settings.SITE_URL).netloc
    for url in settings.PURGE_URLS:
        address = urlsplit(url)
        connection = http.client.HTTPConnection(
            address.hostname, address.port or 80, timeout=settings.PURGE_TIMEOUT_SECONDS
        )
        try:
            connection.request("BAN", address.path or "/", headers={"Host": host})
            status = connection.getresponse().status
            if status != 200:
                logger.warning("Purge of %s refused by %s: HTTP %s", host, url, status)
        except OSError as error:
            logger.warning("Purge of %s failed at %s: %s", host, url, error)
        finally:
            connection.close()
