"""Reading the site as a patient does: on a phone, without JavaScript, taking nothing from them."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/learn/how-ketamine-works/",
    "/learn/how-ketamine-is-given/",
    "/faq/",
    "/glossary/",
    "/sources/",
    "/sources/anand-2023-elektd/",
    "/learn/what-to-expect/",
    "/questions-to-ask/",
    "/about/",
    "/search/?q=nausea",
    "/learn/no-such-page/",
]


@pytest.fixture
def content(shipped_content):
    """The real content/ (see tests/conftest.py)."""


@pytest.fixture
def phone(browser, live_server, content):
    """A phone-sized context with JavaScript switched off: everything must still read."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    yield page
    context.close()


def test_pages_read_on_a_phone_without_javascript_and_fit_its_width(phone, live_server):
    for path in PAGES:
        response = phone.goto(path)
        assert response.status in (200, 404), path
        assert phone.locator("h1").count() == 1, path
        assert phone.locator("main").inner_text().strip(), path
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
        assert phone.locator(".crisis a[href='tel:988']").first.is_visible(), path


def test_public_pages_set_no_cookie_and_request_nothing_from_another_origin(
    browser, live_server, content
):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(path)
    origin = urlsplit(live_server.url).netloc
    foreign = [url for url in requested if urlsplit(url).netloc != origin]
    assert not foreign
    assert context.cookies() == []
    context.close()


def test_a_reference_link_jumps_to_its_source_and_back(page, content):
    page.goto("/learn/how-ketamine-works/")
    page.locator("sup.claim-refs a").first.click()
    assert page.evaluate("location.hash") == "#ref-1"
    assert page.locator("#ref-1").is_visible()
    page.locator("#ref-1 a.backlink").first.click()
    assert page.evaluate("location.hash") == "#cite-1-1"


def test_a_reference_in_a_faq_answer_opens_its_collapsed_sources(page, content):
    page.goto("/faq/")
    page.locator("details.faq summary").first.click()  # the answer, folded under its question
    first = page.locator("details.references").first
    assert not first.evaluate("el => el.open")
    page.locator("sup.claim-refs a").first.click()
    assert first.evaluate("el => el.open")


def test_keyboard_user_can_skip_to_the_content(page, content):
    page.goto("/learn/how-ketamine-works/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
