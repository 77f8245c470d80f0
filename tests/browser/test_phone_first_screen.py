"""On a phone: the FAQ folded under its questions, short enough to scroll and to print; a link
to one answer opens it without JavaScript; on every page type the title starts on the first
screen, after the crisis line."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FAQ_MAX_HEIGHT = 9000
FAQ_MAX_PRINTED_PAGES = 8
TITLE_WITHIN = 250
PAGE_TYPES = [
    "/",
    "/learn/how-ketamine-works/",
    "/learn/how-ketamine-is-given/",
    "/faq/",
    "/glossary/",
    "/compare/depression-not-responding/",
    "/sources/",
    "/sources/anand-2023-elektd/",
    "/questions-to-ask/",
    "/what-matters-to-you/",
    "/about/",
    "/search/?q=nausea",
    "/search/?q=zzzz",
    "/no-such-page/",
]


@pytest.fixture
def content(shipped_content):
    """The real content/ (see tests/conftest.py)."""


@pytest.fixture
def phone(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    yield context.new_page()
    context.close()


def test_the_faq_is_folded_and_fits_a_phone(phone, record_property):
    phone.goto("/faq/")
    answers = phone.locator("details.faq")
    assert answers.count() >= 20
    assert not any(answers.evaluate_all("all => all.map(d => d.open)"))
    height = phone.evaluate("document.documentElement.scrollHeight")
    record_property("figure", f"/faq/ at 390 px: {height} px tall, answers folded")
    assert height <= FAQ_MAX_HEIGHT
    # Grouped by topic, with a list to jump to each.
    topics = phone.locator("nav.faq-topics a")
    assert topics.count() >= 3
    topics.nth(1).click()
    assert phone.evaluate("location.hash").startswith("#topic-")


def test_the_faq_prints_on_few_pages_with_every_answer_open(phone, record_property):
    phone.goto("/faq/")
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    phone.emulate_media(media="print")
    pdf = phone.pdf(format="Letter")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    record_property("figure", f"/faq/ printed on Letter, every answer open: {pages} pages")
    assert 0 < pages <= FAQ_MAX_PRINTED_PAGES


def test_a_link_to_a_question_opens_its_answer_without_javascript(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto("/faq/#is-ketamine-addictive")
    answer = page.locator("#is-ketamine-addictive")
    expect(answer).to_be_visible()
    expect(answer).to_be_in_viewport()
    assert page.locator("details.faq", has=answer).evaluate("d => d.open")
    # The question is on screen above its answer, not hidden under the top edge.
    question = page.locator("#is-ketamine-addictive-q")
    expect(question).to_be_in_viewport()
    # Every other answer stays folded.
    assert page.locator("details.faq[open]").count() == 1
    context.close()


def test_the_title_starts_on_the_first_screen_after_the_crisis_line(phone, record_property):
    figures, late = [], []
    for path in PAGE_TYPES:
        phone.goto(path)
        top = phone.locator("main h1").first.bounding_box()["y"]
        first = phone.evaluate(
            "document.querySelector('main .crisis-wrap, main .wrap').firstElementChild.className"
        )
        assert "crisis" in first, path
        figures.append(f"{path} {top:.0f}")
        if top > TITLE_WITHIN:
            late.append(f"{path}: {top:.0f} px")
    record_property("figure", "title's top at 390 px: " + ", ".join(figures))
    assert not late, late


def test_a_table_that_scrolls_sideways_says_so_and_takes_the_keyboard(phone):
    phone.goto("/learn/how-ketamine-is-given/")
    box = phone.locator(".table-scroll").first
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than a phone
    expect(phone.locator(".table-scroll + .table-scroll-hint").first).to_be_visible()
    box.focus()
    assert box.evaluate("el => el === document.activeElement")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
