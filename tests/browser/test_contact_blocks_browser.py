"""Staff add a contact block in the admin, publish it as a clinical reviewer, see it on an
article, and switch it off again (at once, with no review)."""

import pytest
from playwright.sync_api import expect

from ketamine_info.clinics.models import ContactBlock
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_a_block_for_articles_then_deactivate_it(page, staff_login, screenshot):
    article = ArticleFactory(title="How ketamine is given", body="## Ways\n\nPlain words.")
    staff_login()

    page.goto("/admin/clinics/contactblock/add/")
    page.locator("#id_name").press_sequentially("Main clinic, end of articles")
    expect(page.locator("#id_key")).to_have_value("main-clinic-end-of-articles")
    page.select_option("#id_placement", "article_end")
    page.fill("#id_heading", "Questions? Talk to our team")
    page.fill("#id_clinic_name", "Example Clinic")
    page.fill("#id_body", "We answer calls on **weekdays**.")
    page.fill("#id_phone", "(503) 555-0123")
    page.fill("#id_sms_phone", "503 555 0124")
    page.fill("#id_email", "hello@example.org")
    page.fill("#id_booking_url", "https://example.org/book")
    page.fill("#id_street_address", "100 Example Street")
    page.fill("#id_locality", "Exampleville")
    page.fill("#id_region", "OR")
    page.fill("#id_postal_code", "00000")
    page.select_option("#id_hours-0-day", label="Monday")
    page.fill("#id_hours-0-opens", "09:00")
    page.fill("#id_hours-0-closes", "17:00")
    page.select_option("#id_hours-1-day", label="Tuesday")
    page.fill("#id_hours-1-opens", "09:00")
    page.fill("#id_hours-1-closes", "13:00")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")
    assert not ContactBlock.objects.exists()
    page.locator(".messagelist").get_by_role("link", name="See the change").click()
    expect(page.locator(".diff").first).to_be_visible()
    page.check("#id_confirm")
    page.fill("#id_credentials", "Dana Lee, MD, psychiatrist")
    page.click("#publish-form input[name=publish]")
    expect(page.locator(".messagelist")).to_contain_text("Published")
    block = ContactBlock.objects.get()
    assert block.phone == "+15035550123"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(article.get_absolute_url())
    section = page.locator("section.contact-block")
    expect(section).to_have_count(1)
    expect(section.get_by_role("heading", name="Questions? Talk to our team")).to_be_visible()
    expect(section.get_by_role("link", name="(503) 555-0123")).to_have_attribute(
        "href", "tel:+15035550123"
    )
    expect(section.get_by_role("link", name="(503) 555-0124")).to_have_attribute(
        "href", "sms:+15035550124"
    )
    expect(section.get_by_role("link", name="Book an appointment")).to_have_attribute(
        "href", "https://example.org/book"
    )
    expect(section.locator("address")).to_contain_text("Exampleville, OR 00000")
    section.scroll_into_view_if_needed()
    # Nothing wider than a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("contact-block-article-390px")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/admin/clinics/contactblock/{block.pk}/change/")
    page.uncheck("#id_active")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("is off the site")

    page.goto(article.get_absolute_url())
    expect(page.locator("section.contact-block")).to_have_count(0)
    expect(page.get_by_text("Example Clinic")).to_have_count(0)
    crisis = page.locator("aside.crisis")
    expect(crisis).to_have_count(2)  # at the top of the article and in the footer
    for box in crisis.all():
        expect(box).to_be_visible()
        expect(box).to_contain_text("call 988 or text 988")
