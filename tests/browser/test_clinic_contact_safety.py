"""The shipped clinic block, switched on by staff, as a phone shows it: accessible in light and
dark, its own unit apart from the crisis lines; and staff told when no block is shown."""

import pytest
from playwright.sync_api import expect

from ketamine_info.clinics.models import ContactBlock
from tests.browser.test_accessibility import PROFILES, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(shipped_content):
    """The real content/, as `load_content --publish` leaves it (restored from a snapshot taken
    once per test run: see tests/conftest.py)."""


def test_staff_see_the_notice_then_switch_the_example_block_on(page, content, staff_login):
    staff_login()
    page.goto("/admin/")
    notice = page.locator("#contact-block-notice")
    expect(notice).to_contain_text("No clinic contact block is shown on the site today")
    notice.get_by_role("link", name="Clinic contact blocks").click()
    expect(page).to_have_url("/admin/clinics/contactblock/", ignore_case=True)
    ContactBlock.objects.filter(key="example-clinic").update(active=True)
    page.goto("/admin/")
    expect(page.locator("#contact-block-notice")).to_have_count(0)


@pytest.mark.parametrize("profile", ["phone", "phone-dark"])
def test_a_shown_block_is_accessible_and_apart_from_the_crisis_lines(
    browser, live_server, content, profile
):
    ContactBlock.objects.filter(key="example-clinic").update(active=True)
    context = browser.new_context(base_url=live_server.url, **PROFILES[profile])
    page = context.new_page()
    failures = []
    for path in ["/", "/learn/how-ketamine-works/", "/faq/"]:
        page.goto(path)
        block = page.locator("section.contact-block")
        expect(block).to_have_count(1)
        expect(block).to_contain_text("This is not a crisis line.")
        expect(block.get_by_text("Text us")).to_have_count(0)
        # The block and the crisis boxes never share a box: none contains the other.
        for crisis in page.locator("aside.crisis").all():
            expect(crisis.locator("section.contact-block")).to_have_count(0)
            expect(crisis.locator('a[href^="tel:+1"], a[href^="sms:+1"]')).to_have_count(0)
        expect(block.locator("aside.crisis")).to_have_count(0)
        violations = axe_violations(page)
        if violations:
            failures.append(describe(path, violations))
    context.close()
    assert not failures, "axe found WCAG 2.2 A/AA violations:\n" + "\n".join(failures)
