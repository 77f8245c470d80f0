"""Search in a browser: "did you mean", synonyms, crisis help first, one search box, and a
synonym staff edit in the admin, once a clinical reviewer publishes it, reaching the very next
search (no stale cached page)."""

import pytest
from playwright.sync_api import expect

from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.search.models import Synonym
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(db):
    Term.objects.create(
        slug="dissociation",
        term="Dissociation",
        body="Feeling cut off from your body or your surroundings.",
    )
    Question.objects.create(
        slug="will-i-feel-sick",
        question="Will I feel sick?",
        body="Nausea is common. Your clinic may give you a medicine for it.",
        topic="about",
        position=1,
        status="published",
    )
    ArticleFactory(title="How ketamine is given", body="## IV\n\nA slow drip into a vein.")
    Synonym.objects.create(key="dissociation", term="dissociation", variants="k-hole")


def search_for(page, words):
    """Type into the page's one search box, found by its visible label, and submit."""
    box = page.get_by_label("Search this site")
    expect(box).to_have_count(1)
    expect(box).to_be_visible()
    box.fill(words)
    box.press("Enter")
    page.wait_for_load_state()


def test_did_you_mean_synonyms_and_one_search_box(page, site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/")
    expect(page.locator("form[role=search]")).to_have_count(1)
    expect(page.get_by_text("Search this site", exact=True)).to_be_visible()

    search_for(page, "nausia")
    expect(page.locator(".did-you-mean")).to_have_text(
        "Showing results for nausea; search instead for nausia."
    )
    expect(page.get_by_role("link", name="nausea", exact=True)).to_have_attribute(
        "href", "/search/?q=nausea"
    )
    expect(page.get_by_role("link", name="Will I feel sick?")).to_be_visible()
    screenshot("search-did-you-mean-390px")
    page.get_by_role("link", name="nausia", exact=True).click()
    page.wait_for_url("**/search/?q=nausia&literal=1")
    expect(page.locator(".result-count")).to_contain_text("Nothing on this site matches")
    expect(page.locator(".did-you-mean")).to_have_count(0)

    search_for(page, "K-Hole")
    expect(page.locator(".search-results h2")).to_have_text(["Dissociation"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_crisis_words_bring_crisis_help_first(page, site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=i+wanna+dye")
    box = page.locator("main aside.crisis")
    expect(box).to_have_count(1)
    expect(box).to_be_in_viewport()
    expect(box.get_by_role("link", name="988").first).to_have_attribute("href", "tel:988")
    first = page.evaluate("document.querySelector('main .wrap').firstElementChild.className")
    assert first == "crisis"
    assert box.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    screenshot("search-crisis-390px")


def test_a_synonym_edited_in_the_admin_reaches_the_next_search(
    page, browser, live_server, site, staff_login
):
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/search/?q=zonked")  # now in the page cache
    expect(visitor.locator(".result-count")).to_contain_text("Nothing on this site matches")

    staff_login()
    page.goto("/admin/search/synonym/")
    page.get_by_role("link", name="dissociation").click()
    page.fill("#id_variants", "k-hole\nzonked")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")
    visitor.goto("/search/?q=zonked")
    expect(visitor.locator(".result-count")).to_contain_text("Nothing on this site matches")

    page.locator(".messagelist").get_by_role("link", name="See the change").click()
    page.check("#id_confirm")
    page.fill("#id_credentials", "Dana Lee, MD, psychiatrist")
    page.click("#publish-form input[name=publish]")
    expect(page.locator(".messagelist")).to_contain_text("Published")

    visitor.goto("/search/?q=zonked")
    expect(visitor.locator(".search-results h2")).to_have_text(["Dissociation"])
    expect(visitor.locator("mark").first).to_have_text("Dissociation")
    visitor.context.close()
