"""The first-run checklist on the admin's home page: what must be set before the site goes live,
each step ticked once it is. One list (``STEPS``), so a step is added or renamed in one place;
settings are read by name and a missing one counts as not set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings

from .roles import GROUPS

REVIEWER_GROUP = "Clinical reviewer"
assert REVIEWER_GROUP in GROUPS
# The made-up clinic content/ ships with: it never counts as the clinic's own block.
EXAMPLE_CLINIC = "example-clinic"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver", ""}


def _setting(*names: str) -> bool:
    return all(str(getattr(settings, name, "") or "").strip() for name in names)


def _public_site_url() -> bool:
    host = urlsplit(getattr(settings, "SITE_URL", "")).hostname or ""
    return host not in LOCAL_HOSTS and not host.endswith(".example.org")


def _reviewer_with_second_factor() -> bool:
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    return TOTPDevice.objects.filter(
        confirmed=True,
        user__is_active=True,
        user__is_staff=True,
        user__groups__name=REVIEWER_GROUP,
    ).exists()


def _clinic_block() -> bool:
    # Looked up by label: the clinics app builds on this one.
    ContactBlock = apps.get_model("clinics", "ContactBlock")
    return ContactBlock.objects.shown().exclude(key=EXAMPLE_CLINIC).exists()


@dataclass(frozen=True)
class Step:
    title: str
    how: str
    done: Callable[[], bool]


STEPS = [
    Step(
        "Who publishes the site",
        "Set SITE_PUBLISHER (and SITE_PUBLISHER_URL) in the server's environment. The About "
        "page names them.",
        lambda: _setting("SITE_PUBLISHER"),
    ),
    Step(
        "Who pays for it, and any conflict of interest",
        "Set SITE_FUNDING: one or two sentences, e.g. who pays and whether they offer ketamine "
        "treatment.",
        lambda: _setting("SITE_FUNDING"),
    ),
    Step(
        "A contact address for readers",
        "Set SITE_CONTACT_EMAIL: where readers write about a page.",
        lambda: _setting("SITE_CONTACT_EMAIL"),
    ),
    Step(
        "A clinical reviewer who logs in with a second factor",
        f"Put a clinician in the group “{REVIEWER_GROUP}” (Users); they set up their "
        "authenticator app at their first login.",
        _reviewer_with_second_factor,
    ),
    Step(
        "The clinic's own contact block",
        "Under Clinic contact blocks, add your clinic's details (not the made-up Example "
        "Clinic) and tick Active.",
        _clinic_block,
    ),
    Step(
        "The site's public address",
        "Set SITE_URL to the address patients use, e.g. https://ketamine.yourclinic.org. "
        "Canonical links and the sitemap use it.",
        _public_site_url,
    ),
]


def checklist() -> list[dict]:
    return [{"title": s.title, "how": s.how, "done": bool(s.done())} for s in STEPS]
