"""The decision aid, the "weigh it up" exercise and the worksheet in a real browser: usable on a
390 px phone without sideways scrolling, no axe (WCAG 2.2 AA) violations in light and dark, with
JavaScript on and off; the exercise's summary sets no cookie and is private and unstored; the
worksheet prints on at most two Letter pages with its lines full width."""

import re

import pytest

from .test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPARISON = "/compare/depression-not-responding/"
WEIGH = "/compare/depression-not-responding/weigh/"
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
def content(shipped_content):
    """The real content/, as `load_content --publish` leaves it (restored from a snapshot taken
    once per test run: see tests/conftest.py)."""


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", [COMPARISON, COMPARISON + "?o=4&o=5&o=6", WEIGH, WORKSHEET])
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


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("profile", ["phone", "desktop-dark"])
def test_the_exercise_gives_a_private_summary(browser, live_server, content, profile, javascript):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, **PROFILES[profile]
    )
    page = context.new_page()
    page.goto(WEIGH)
    page.get_by_role("group", name="Feeling better fast (days rather than weeks)").get_by_label(
        "Matters a lot"
    ).check()
    page.get_by_role("group", name="The option I am leaning towards now").get_by_label(
        "Not sure yet"
    ).check()
    page.get_by_role("group", name="Do you feel sure about the best choice for you?").get_by_label(
        "No"
    ).check()
    page.get_by_role(
        "group", name="Which option is given under general anesthesia each time?"
    ).get_by_label("rTMS").check()
    page.get_by_label("Write them here").fill("How often would I need to come in?")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Show my summary").click()
    response = posted.value
    assert response.status == 200
    headers = response.all_headers()
    assert "no-store" in headers["cache-control"] and "private" in headers["cache-control"]
    assert "set-cookie" not in headers
    assert response.request.url == live_server.url + WEIGH  # no answer in the address
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Matters a lot" in body and "Not sure yet" in body
    assert "The right answer: ECT." in body and "How often would I need to come in?" in body
    assert context.cookies() == []
    width = PROFILES[profile]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = axe_violations(page) if javascript else []
    context.close()
    assert not violations, describe(f"summary ({profile})", violations)


def test_choosing_options_shows_only_those_columns(browser, live_server, content):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, **PROFILES["phone"]
    )
    page = context.new_page()
    page.goto(COMPARISON)
    chooser = page.locator(".compare-chooser")
    chooser.get_by_label("ECT").check()
    chooser.get_by_label("rTMS").check()
    chooser.get_by_role("button", name="Compare these").click()
    page.wait_for_load_state()
    assert "o=6" in page.url and "o=7" in page.url
    labels = page.locator("tr#h-how-well-does-it-work .cell-option")
    assert [labels.nth(i).inner_text() for i in range(labels.count())] == ["ECT", "rTMS"]
    assert page.locator(".compare-table tbody tr").count() == 9
    # Crisis help once at the top and once at the foot, not twice in a row.
    assert page.locator(".crisis").count() == 2
    context.close()


def test_the_worksheet_lines_are_full_width_on_a_phone(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, **PROFILES["phone"])
    page = context.new_page()
    page.goto(WORKSHEET)
    body = page.locator(".page-body").bounding_box()
    lines = page.locator(".page-body p").filter(has_text="______")
    assert lines.count() >= 5
    for i in range(lines.count()):
        box = lines.nth(i).bounding_box()
        assert box["height"] < 40, "a line to write on broke in two"
        assert box["width"] >= body["width"] - 2
    context.close()
