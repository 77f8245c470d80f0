"""Crisis help on every public page (issue 13): at the top, before anything else in the page's
content; at most once more, first in the footer; part of the templates, so no edit in the admin
can remove it. tests/browser/test_page_layout.py checks where it shows on a screen."""

import re

import pytest
from django.conf import settings

from ketamine_info.clinics.models import Placement
from tests.factories import ContactBlockFactory

pytestmark = pytest.mark.django_db

# The short box, in any language (its label is translated).
TOP = '<aside class="crisis crisis-top" aria-label='
SEARCH_BOX = '<aside class="crisis" aria-labelledby="crisis-heading-search">'
LINES = ('href="tel:988"', 'href="sms:988"', 'href="tel:911"')


@pytest.fixture
def shipped(shipped_content):
    for placement in Placement.values:
        ContactBlockFactory(placement=placement, key=f"block-{placement}")


def public_paths(client) -> list[str]:
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)", sitemap)]
    return [*paths, "/search/", "/search/?q=nausea", "/search/?q=kill+myself", "/no-such-page/"]


def test_every_public_page_opens_with_crisis_help(client, shipped):
    paths = public_paths(client)
    assert len(paths) > 10 and "/about/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        html = response.content.decode()
        main = html[html.index('<main id="main"') :]
        # A search in crisis words gets the full box in the short one's place.
        box = SEARCH_BOX if "kill+myself" in path else TOP
        # First thing in the main content: before the heading, any contact block or result.
        assert main.index(box) < main.index("<h1"), path
        top = main[main.index(box) : main.index("</aside>")]
        assert all(line in top for line in LINES), path
        assert html.count(box) == 1, path
        assert html.count("crisis-top") == (box == TOP), path
        footer = html[html.index('<footer class="site-footer">') :]
        assert footer.count('class="crisis"') <= 1, path
        if 'class="crisis"' in footer:
            # First in the footer: no clinic's details come between a reader and it.
            assert footer.index('class="crisis"') < footer.index("contact-block"), path
        else:
            assert path.startswith("/search/") or response.status_code == 404, path


def test_staff_edits_cannot_remove_it(client, shipped):
    """Blank out every body staff can edit: the crisis help is still on every page."""
    from ketamine_info.citations.models import citing_models

    for model in citing_models():
        model._default_manager.update(body="", body_html="", claim_keys=[])
    for path in ["/", "/faq/", "/glossary/", "/about/", "/questions-to-ask/"]:
        html = client.get(path).content.decode()
        assert TOP in html and 'href="tel:988"' in html, path
    # And nothing staff save is where it comes from: it is in no content file.
    for path in settings.CONTENT_DIR.rglob("*"):
        if path.is_file():
            assert "Suicide &amp; Crisis Lifeline" not in path.read_text(), path
