"""`check --deploy` checks of this site's own settings (registered by the editorial app)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}  # noqa: S104 (names, not binds)


def _is_loopback(host: str) -> bool:
    host = host.strip().lower().strip("[]")
    return host in {h.strip("[]") for h in LOOPBACK} or host.startswith("127.")


@register(Tags.security, deploy=True)
def production_addresses(app_configs, **kwargs):
    """In production, the site must answer to its real name and link to it: the development
    defaults (loopback hosts, http://127.0.0.1:8000) would make every canonical link, sitemap
    entry and password-reset link point at the visitor's own machine; and a wildcard host lets a
    request name any host, which nothing here should ever believe."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    loopback_hosts = [h for h in settings.ALLOWED_HOSTS if _is_loopback(h)]
    if loopback_hosts:
        errors.append(
            Error(
                f"ALLOWED_HOSTS names loopback addresses in production: {loopback_hosts}.",
                hint="Set ALLOWED_HOSTS to the site's public host name(s).",
                id="ketamine_info.E001",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is '*' in production: any Host header is accepted.",
                hint="Set ALLOWED_HOSTS to the site's public host name(s).",
                id="ketamine_info.E003",
            )
        )
    site_host = urlsplit(settings.SITE_URL).hostname or ""
    if not site_host or _is_loopback(site_host):
        errors.append(
            Error(
                f"SITE_URL is {settings.SITE_URL!r} in production.",
                hint="Set SITE_URL to the public address, e.g. https://ketamine.example.org.",
                id="ketamine_info.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def publisher_disclosed(app_configs, **kwargs):
    """In production, the site must say who publishes it, who pays for it (and whether they
    provide any treatment it describes) and how to reach them: patient decision aid standards
    (IPDAS) count an aid without them as at high risk of harmful bias. Development leaves them
    empty, and the pages then say plainly that they are not yet filled in."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    missing = [
        name
        for name in ("SITE_PUBLISHER", "SITE_FUNDING", "SITE_CONTACT_EMAIL")
        if not str(getattr(settings, name, "")).strip()
    ]
    if not missing:
        return []
    return [
        Error(
            f"{', '.join(missing)} empty in production.",
            hint="Set SITE_PUBLISHER (who publishes the site), SITE_FUNDING (who pays for it and "
            "whether they provide or sell any treatment the site describes) and "
            "SITE_CONTACT_EMAIL; /about/ and every decision aid show them.",
            id="ketamine_info.E020",
        )
    ]
