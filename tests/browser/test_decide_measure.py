"""The decision aid's size on a phone and on paper: at 390 px wide the comparison is at most
9,000 px tall and prints on at most 6 Letter pages, whichever options or question are chosen;
the worksheet prints on at most two pages. The figures are printed so a run records them."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPARISON = "/compare/depression-not-responding/"
VIEWS = [
    COMPARISON,
    COMPARISON + "?o=4&o=5&o=6",
    COMPARISON + "?o=1&o=2",
    COMPARISON + "?q=h-serious-risks",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def content(shipped_content):
    """The real content/, as `load_content --publish` leaves it (restored from a snapshot taken
    once per test run: see tests/conftest.py)."""


def printed_pages(page, tmp_path, name):
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="Letter")
    # Chromium writes one "/Type /Page" object per printed page.
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


@pytest.mark.parametrize("path", VIEWS)
def test_the_comparison_fits_a_phone_and_six_printed_pages(
    browser, live_server, content, path, tmp_path
):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto(path)
    height = page.evaluate("document.documentElement.scrollHeight")
    pages = printed_pages(page, tmp_path, "compare")
    context.close()
    print(f"MEASURE {path}: {height} px tall at 390 px, {pages} Letter pages")
    assert height <= 9000, f"{path} is {height} px tall at 390 px"
    assert pages <= 6, f"{path} prints on {pages} pages"


def test_the_summary_prints_on_one_page(browser, live_server, content, tmp_path):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(COMPARISON + "weigh/")
    # Every question answered: the longest summary there can be.
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_label("Write them here").fill("Question for my doctor. " * 24)
    page.get_by_role("button", name="Show my summary").click()
    page.wait_for_load_state()
    pages = printed_pages(page, tmp_path, "summary")
    context.close()
    print(f"MEASURE summary: {pages} Letter pages")
    assert pages == 1, f"the summary prints on {pages} pages"
