"""The whole editorial story in a real browser, with two staff members in their two roles.

An editor logs in, edits an article (watching the live preview), previews it, finds no way to
publish it and sends it for review; a clinical reviewer finds it on the review dashboard and
publishes it after confirming the clinical review; patients see the change and the review
stamp; the reviewer reverts to the earlier text, which waits for review like any change to a
live page, and patients see it once it is published.
"""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ketamine_info.articles.models import Article
from ketamine_info.publishing import Status
from tests.browser.conftest import SCREENSHOTS
from tests.factories import ArticleFactory, current_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ORIGINAL = "Ketamine for depression is most often given through a vein."
EDITED = "Ketamine for depression is given through a vein or as a nasal spray."


@pytest.fixture
def person(browser, live_server):
    """``person(username)``: a browser of their own, logged in through the admin's login form."""
    contexts = []

    def open_as(username=None):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            # Reviewers must use two-step login: everyone here has an authenticator app.
            user = User.objects.get(username=username)
            device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            page.goto("/admin/")
            page.fill("#id_username", username)
            page.fill("#id_password", "a-long-test-password")
            page.click("input[type=submit]")
            # The code on a screen of its own, after the password.
            page.fill("#id_otp_token", current_totp(device))
            page.click("input[type=submit]")
            expect(page.locator("#user-tools")).to_contain_text("Log out")
        return page

    yield open_as
    for context in contexts:
        context.close()


def snap(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_editor_edits_reviewer_publishes_patients_see_it_revert_restores(person, editor, reviewer):
    article = ArticleFactory(
        status=Status.DRAFT,
        slug="how-ketamine-is-given",
        title="How ketamine is given",
        body=f"## Ways it is given\n\n{ORIGINAL}",
    )
    change_url = f"/admin/articles/article/{article.pk}/change/"
    public_url = article.get_absolute_url()
    patient = person()
    assert patient.goto(public_url).status == 404

    # --- The editor edits the draft, watching the live preview. ---------------------------
    ed = person("editor")
    ed.goto(change_url)
    ed.fill("#id_body", f"## Ways it is given\n\n{EDITED}[@no-such-claim]")
    panel = ed.locator("#markup-preview")
    expect(panel.locator(".markup-preview-body")).to_contain_text("as a nasal spray")
    expect(panel.locator(".markup-preview-problems")).to_contain_text(
        "Unknown claim key 'no-such-claim'"
    )
    ed.fill("#id_body", f"## Ways it is given\n\n{EDITED}")
    expect(panel.locator(".markup-preview-problems")).to_be_empty()
    snap(ed, "editorial-editor-live-preview")
    # An editor's status menu has no "Published".
    expect(ed.locator("#id_status option[value=published]")).to_have_count(0)
    ed.click("input[name=_continue]")
    expect(ed.locator(".messagelist")).to_contain_text("was changed successfully")

    # --- The editor previews it: the public page, marked as a preview. --------------------
    preview_href = ed.get_by_role("link", name="Preview").get_attribute("href")
    ed.goto(preview_href)
    expect(ed.locator(".preview-banner")).to_contain_text("Preview — not public")
    expect(ed.locator("h1")).to_have_text("How ketamine is given")
    expect(ed.locator(".article-body")).to_contain_text(EDITED)
    expect(ed.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    snap(ed, "editorial-preview")
    assert patient.goto(preview_href).url.endswith(f"/admin/login/?next={preview_href}")
    assert patient.goto(public_url).status == 404

    # --- The editor cannot publish, and sends it for review. ------------------------------
    ed.goto("/admin/articles/article/")
    action_values = ed.locator("select[name=action] option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert "submit_for_review" in action_values
    assert "publish" not in action_values
    ed.check(f"input[name=_selected_action][value='{article.pk}']")
    ed.select_option("select[name=action]", "submit_for_review")
    ed.click("button[name=index]")
    expect(ed.locator(".messagelist")).to_contain_text("1 sent for review")
    assert Article.objects.get().status == Status.REVIEW

    # --- The reviewer finds it on the dashboard and publishes it. -------------------------
    rev = person("reviewer")
    rev.get_by_role("link", name="Review dashboard").click()
    waiting = rev.locator("#awaiting")
    expect(waiting).to_contain_text("How ketamine is given")
    waiting.get_by_role("link", name="How ketamine is given").click()
    expect(rev.locator("#id_status option[value=published]")).to_have_count(0)
    rev.get_by_role("link", name="Review and publish").click()
    rev.fill("#id_credentials", "Dana Lee, MD, psychiatrist")
    rev.click("#publish-form input[type=submit]")  # without the clinical confirmation
    expect(rev.locator("#publish-form")).to_contain_text("reviewed this clinically")
    assert Article.objects.get().status == Status.REVIEW
    rev.check("#id_confirm")
    rev.click("#publish-form input[type=submit]")
    expect(rev.locator(".messagelist")).to_contain_text("1 published")

    # --- Patients see the change and the review date. -------------------------------------
    today = date_format(timezone.localdate(), "F j, Y")
    patient.goto(public_url)
    expect(patient.locator(".article-body")).to_contain_text(EDITED)
    expect(patient.locator("header .meta")).to_contain_text(
        f"Page last reviewed: {today} by Dana Lee, MD, psychiatrist · Next review due:"
    )
    expect(patient.locator(".preview-banner")).to_have_count(0)
    snap(patient, "editorial-published")

    # --- The reviewer compares revisions, then reverts to the original text. --------------
    rev.goto(change_url)
    rev.get_by_role("link", name="History").click()
    snap(rev, "editorial-history")
    rev.click("input[value='Compare the two chosen revisions']")
    expect(rev.locator("pre.diff").first).to_be_visible()
    snap(rev, "editorial-compare")
    rev.go_back()
    rev.locator("#change-history tbody tr").last.get_by_role("link").click()
    expect(rev.locator("#id_body")).to_have_value(f"## Ways it is given\n\n{ORIGINAL}")
    rev.click("input[value=Revert]")
    expect(rev.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")
    patient.goto(public_url)
    expect(patient.locator(".article-body")).to_contain_text(EDITED)  # still the live text

    rev.goto("/admin/editorial/pendingchange/")
    rev.get_by_role("link", name="How ketamine is given").click()
    expect(rev.locator(".diff-field")).to_contain_text("nasal spray")
    rev.check("#id_confirm")
    rev.click("#publish-form input[name=publish]")
    expect(rev.locator(".messagelist")).to_contain_text("Published")

    patient.goto(public_url)
    expect(patient.locator(".article-body")).to_contain_text(ORIGINAL)
    expect(patient.locator(".article-body")).not_to_contain_text("nasal spray")
    expect(patient.locator("header .meta")).to_contain_text(f"Page last reviewed: {today}")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.history.first().history_user == reviewer
