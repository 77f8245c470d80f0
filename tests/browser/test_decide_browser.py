"""The decision aid and the worksheet in a real browser: usable on a 390 px phone without
sideways scrolling, no axe (WCAG 2.2 AA) violations in light and dark, and the worksheet prints
on at most two Letter pages."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from .test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPARISON = "/compare/depression-not-responding/"
WORKSHEET = "/what-matters-to-you/"
PROFILES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "phone-dark": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "color_scheme": "dark",
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "desktop-dark": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
}


@pytest.fixture
def content(db):
    call_command("load_content", str(settings.CONTENT_DIR), "--publish", stdout=StringIO())


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", [COMPARISON, WORKSHEET])
def test_no_sideways_scrolling_and_no_axe_violations(browser, live_server, content, profile, path):
    context = browser.new_context(base_url=live_server.url, **PROFILES[profile])
    page = context.new_page()
    page.goto(path)
    width = PROFILES[profile]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = axe_violations(page)
    context.close()
    assert not violations, describe(f"{path} ({profile})", violations)


def test_on_a_phone_each_question_lists_every_option_by_name(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, **PROFILES["phone"])
    page = context.new_page()
    page.goto(COMPARISON)
    labels = page.locator("tr#h-how-well-does-it-work .cell-option")
    assert labels.count() == 7
    assert all(labels.nth(i).is_visible() for i in range(7))
    assert labels.nth(3).inner_text() == "Esketamine nasal spray"
    # Each cell sits below the last, full width, not squeezed into columns.
    boxes = [page.locator("tr#h-how-well-does-it-work td").nth(i).bounding_box() for i in (0, 1)]
    assert boxes[1]["y"] > boxes[0]["y"] and boxes[0]["width"] > 300
    context.close()


def test_on_a_desktop_the_options_are_columns(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, **PROFILES["desktop"])
    page = context.new_page()
    page.goto(COMPARISON)
    assert page.locator(".compare-table thead th").nth(1).is_visible()
    assert not page.locator(".cell-option").first.is_visible()
    cells = page.locator("tr#h-how-well-does-it-work td")
    assert cells.nth(0).bounding_box()["y"] == cells.nth(6).bounding_box()["y"]
    context.close()


def test_the_worksheet_prints_on_at_most_two_letter_pages(browser, live_server, content, tmp_path):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(WORKSHEET)
    pdf = tmp_path / "worksheet.pdf"
    page.pdf(path=str(pdf), format="Letter")
    context.close()
    # Chromium writes one uncompressed "/Type /Page" object per printed page.
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    assert 1 <= pages <= 2, f"the worksheet prints on {pages} pages"
