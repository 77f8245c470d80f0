"""WCAG 2.2 AA, checked by axe-core in Chromium on every page type, phone and desktop,
light and dark; plus what axe cannot check: keyboard focus that shows, and the print layout.

axe-core is vendored in tests/browser/vendor/ (see its README) so CI needs no npm.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from ketamine_info.articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PROFILES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone-dark": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "color_scheme": "dark",
    },
    "desktop-dark": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
}
# AXE_SCREENSHOTS=1 also saves every page, full length, to test-results/ for people to look at.
SAVE_SCREENSHOTS = os.environ.get("AXE_SCREENSHOTS") == "1"


def page_types() -> list[str]:
    """One of every kind of page, and every article (their bodies differ most), in both
    languages."""
    articles = [a.get_absolute_url() for a in Article.objects.published()]
    return [
        "/",
        *articles,
        "/faq/",
        "/glossary/",
        "/sources/",
        "/sources/anand-2023-elektd/",
        "/questions-to-ask/",
        "/about/",
        "/search/?q=nausea",
        "/search/?q=suicide",
        "/search/?q=zzzz",
        "/search/",
        "/no-such-page/",
        # The Spanish edition: each page type once (its articles are in the list above).
        "/es/",
        "/es/comparar/depresion-que-no-mejora/",
        "/es/preguntas-frecuentes/",
        "/es/glosario/",
        "/es/fuentes/",
        "/es/fuentes/anand-2023-elektd/",
        "/es/preguntas-para-su-medico/",
        "/es/acerca-de/",
        "/es/buscar/?q=n%C3%A1useas",
        "/es/buscar/?q=quiero+morir",
        "/es/buscar/?q=zzzz",
        "/es/no-existe/",
    ]


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(path: str, violations: list[dict]) -> str:
    lines = [path]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']} {node.get('failureSummary', '')[:200]!r}")
    return "\n".join(lines)


@pytest.fixture
def content(shipped_content):
    """The real content/ (see tests/conftest.py)."""


@pytest.mark.parametrize("profile", PROFILES)
def test_no_wcag_violations_on_any_page_type(browser, live_server, content, profile):
    context = browser.new_context(base_url=live_server.url, **PROFILES[profile])
    page = context.new_page()
    failures = []
    for path in page_types():
        response = page.goto(path)
        assert response.status in (200, 404), path
        violations = axe_violations(page)
        if violations:
            failures.append(describe(path, violations))
        # Again with every folded list of references opened, as a reader who taps them sees it.
        if page.locator("details.references").count():
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            violations = axe_violations(page)
            if violations:
                failures.append(describe(f"{path} (references opened)", violations))
        width = PROFILES[profile]["viewport"]["width"]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            failures.append(f"{path}\n  {scroll_width}px wide in a {width}px window")
        if SAVE_SCREENSHOTS:
            folder = Path(settings.BASE_DIR) / "test-results" / "pages"
            folder.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "-").replace("?q=", "-") or "home"
            page.screenshot(path=str(folder / f"{name}-{profile}.png"), full_page=True)
    context.close()
    assert not failures, "axe found WCAG 2.2 A/AA violations:\n" + "\n".join(failures)


def test_keyboard_focus_is_always_visible(page, content):
    """Tab through the top of an article: every focused element draws a focus outline."""
    page.goto("/learn/how-ketamine-works/")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {tag: el.tagName, text: (el.innerText || el.value || '').slice(0, 30),
                        outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
            }"""
        )
        seen.append(focused)
        assert focused["tag"] != "BODY", seen
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
    tags = [f["tag"] for f in seen]
    assert "INPUT" in tags and "BUTTON" in tags  # the header's search form is reachable


def test_search_from_the_header_with_the_keyboard(page, content):
    page.goto("/glossary/")
    page.locator("#site-search-q").focus()
    page.keyboard.type("nausea")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=nausea")
    assert page.locator(".search-results li").count() >= 1
    assert page.locator(".search-results mark").first.is_visible()


def test_print_layout_keeps_the_article_and_its_references(page, content):
    page.goto("/learn/how-ketamine-works/")
    page.emulate_media(media="print")
    for hidden in [".site-header nav", ".search-form", ".pager", ".skip-link", ".breadcrumbs"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h1").is_visible()
    # Folded on screen, every list of references (the article's, a figure's) opens on paper.
    for references in page.locator("details.references").all():
        assert references.locator(".reference-list li").first.is_visible()
    # The crisis message stays on paper: at the top of the article.
    assert page.locator("main .crisis").is_visible()


def test_the_questions_for_the_doctor_print_with_room_to_write(page, content):
    page.goto("/questions-to-ask/")
    page.emulate_media(media="print")
    assert not page.locator(".print-hint").is_visible()
    question = page.locator(".page-body li").first
    assert question.is_visible()
    style = question.evaluate(
        "el => { const s = getComputedStyle(el); "
        "return {marker: s.listStyleType, room: s.paddingBottom}; }"
    )
    assert "☐" in style["marker"]
    assert float(style["room"].removesuffix("px")) > 30
