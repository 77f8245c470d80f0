"""Admin forms fit the window: the claim form, with a long source title and an excerpt, is no
wider than a 1280 px screen."""

import pytest

from tests.factories import CitationFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "Efficacy and safety of intravenous ketamine compared with electroconvulsive therapy for "
    "adults with nonpsychotic treatment-resistant major depression: a randomized noninferiority "
    "trial across five academic medical centers"
)


def test_the_claim_form_fits_a_1280_px_screen(page, staff_login, record_property):
    staff_login()
    source = SourceFactory(title=LONG_TITLE)
    claim = CitationFactory(
        source=source, locator="Table 2", excerpt="Response rates were similar. " * 8
    ).claim
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/admin/citations/claim/{claim.pk}/change/")
    page.wait_for_selector("#citations-group")
    width = page.evaluate("document.documentElement.scrollWidth")
    record_property("figure", f"claim form at 1280 px: {width} px wide")
    assert width <= 1280, f"the claim form is {width} px wide"


def test_the_article_list_shows_every_column_at_1280_px(
    page, staff_login, record_property, shipped_content
):
    staff_login()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/articles/article/")
    results = page.locator("#changelist .results")
    overflow = results.evaluate("el => el.scrollWidth - el.clientWidth")
    record_property("figure", f"article list at 1280 px: {overflow} px hidden to the right")
    assert overflow <= 0, f"{overflow} px of the article list are cut off"
    header = page.locator("th.column-updated")
    box, frame = header.bounding_box(), results.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
