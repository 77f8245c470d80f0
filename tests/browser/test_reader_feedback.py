"""A reader reports a mistake from an article, in a real browser: the page sets no cookie and needs
no JavaScript; the report is on the review dashboard and on the article's review screen."""

import pytest
from playwright.sync_api import expect

from ketamine_info.publishing import Status
from tests.browser.test_editorial_workflow import person  # noqa: F401 - a fixture
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "The second paragraph says 'twice a day' but the study said twice a week."


def test_a_readers_report_reaches_the_dashboard(browser, live_server, person, editor):  # noqa: F811
    article = ArticleFactory(slug="basics", title="Ketamine basics", status=Status.PUBLISHED)
    # The reader's browser runs no JavaScript at all.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    reader = context.new_page()
    reader.goto("/learn/basics/")
    feedback = reader.locator("section.feedback")
    expect(feedback.get_by_role("heading", name="Did this page help?")).to_be_visible()
    feedback.get_by_text("Report a mistake").click()
    feedback.get_by_label("What is wrong, missing or unclear?").fill(REPORT)
    feedback.get_by_role("button", name="Send report").click()
    expect(reader.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(reader.locator(".crisis-top")).to_contain_text("988")
    reader.get_by_role("link", name="Go back to the page you were reading").click()
    expect(reader).to_have_url(f"{live_server.url}/learn/basics/")
    # "Did this page help?" is one click.
    reader.locator("section.feedback").get_by_role("button", name="Yes").click()
    expect(reader.get_by_role("heading", name="Thank you")).to_be_visible()
    assert context.cookies() == []  # neither the pages nor the report set one
    context.close()

    staff = person("editor")
    staff.goto("/admin/review-dashboard/")
    reports = staff.locator("#reader-reports")
    expect(reports).to_contain_text(REPORT)
    expect(reports).to_contain_text("/learn/basics/")
    expect(staff.locator("#reader-reports h2")).to_contain_text("(2)")
    staff.goto(f"/admin/articles/article/{article.pk}/change/")
    staff.get_by_text("What readers reported about this page (2)").click()
    expect(staff.locator("#reader-reports")).to_contain_text(REPORT)
