"""Reviewed means reviewed, in a real browser: an editor changes a live claim, a live glossary
term and a live article; patients keep seeing the reviewed text; a clinical reviewer reads each
change as a diff, opens the pages it affects with the change applied, publishes two and sends
one back; patients see the published changes under the new review stamp, never the one sent
back."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from ketamine_info.citations.models import Claim
from ketamine_info.glossary.models import Term
from ketamine_info.publishing import Status
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_editorial_workflow import person  # noqa: F401 - a fixture
from tests.factories import ArticleFactory, CitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_CLAIM = "In one small study, mood improved within a day."
NEW_CLAIM = "In one small study, mood improved within hours for some people."
OLD_TERM = "A switch on nerve cells that glutamate turns on."
NEW_TERM = "A made-up definition that the reviewer will send back."


def snap(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_changes_to_live_content_wait_for_a_reviewer(person, editor, reviewer):  # noqa: F811
    claim = CitationFactory(claim__key="fast", claim__statement=OLD_CLAIM).claim
    term = Term.objects.create(slug="nmda-receptor", term="NMDA receptor", body=OLD_TERM)
    article = ArticleFactory(
        slug="how-it-works",
        title="How ketamine works",
        status=Status.REVIEW,
        body="## What it does\n\nKetamine acts on the NMDA receptor.[@fast]",
    )
    article.publish(reviewer, confirmed=True, credentials="Sam Ortiz, PharmD")
    patient = person()
    patient.goto("/learn/how-it-works/")
    expect(patient.locator(".reference-list")).to_contain_text(OLD_CLAIM)
    expect(patient.locator("header .meta")).to_contain_text("by Sam Ortiz, PharmD")

    # --- The editor sees where the claim is live, and that the edit will wait. ------------
    ed = person("editor")
    ed.goto(f"/admin/citations/claim/{claim.pk}/change/")
    notice = ed.locator("#live-notice")
    expect(notice).to_contain_text("This is live")
    expect(notice.get_by_role("link", name="How ketamine works")).to_have_attribute(
        "href", "/learn/how-it-works/"
    )
    expect(notice).to_contain_text("waits for a clinical reviewer")
    ed.fill("#id_statement", NEW_CLAIM)
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")
    snap(ed, "review-editor-saved-claim")

    ed.goto(f"/admin/glossary/term/{term.pk}/change/")
    expect(ed.locator("#live-notice")).to_contain_text("Glossary")
    ed.fill("#id_body", NEW_TERM)
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")

    ed.goto(f"/admin/articles/article/{article.pk}/change/")
    ed.fill("#id_body", article.body + "\n\nIt may also act on other receptors.[@fast]")
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")

    # --- Patients still see the reviewed text. ---------------------------------------------
    patient.goto("/learn/how-it-works/")
    expect(patient.locator(".reference-list")).to_contain_text(OLD_CLAIM)
    expect(patient.locator(".article-body")).not_to_contain_text("other receptors")
    patient.goto("/glossary/")
    expect(patient.locator("main")).to_contain_text(OLD_TERM)
    assert Claim.objects.get().statement == OLD_CLAIM

    # --- The reviewer reads the claim's change and the pages it affects. -------------------
    rev = person("reviewer")
    rev.locator("#editorial-module").get_by_role("link", name="Pending changes").click()
    rev.get_by_role("link", name="fast").click()
    diff = rev.locator(".diff-field .diff")
    expect(diff.locator("del").last).to_have_text("day.")
    expect(diff.locator("ins").last).to_contain_text("for some people.")
    pages = rev.locator("#affected-pages")
    expect(pages).to_contain_text("How ketamine works")
    with rev.expect_popup() as popup:
        pages.get_by_role("link", name="Preview").first.click()
    preview = popup.value
    expect(preview.locator(".preview-banner")).to_contain_text("waiting for review")
    expect(preview.locator(".reference-list")).to_contain_text(NEW_CLAIM)
    snap(preview, "review-preview-with-change")
    preview.close()
    snap(rev, "review-pending-change")

    # Without the clinical confirmation, nothing is published.
    rev.fill("#id_credentials", "Dana Lee, MD, psychiatrist")
    rev.click("#publish-form input[name=publish]")
    expect(rev.locator("#publish-form")).to_contain_text("reviewed this clinically")
    assert Claim.objects.get().statement == OLD_CLAIM
    rev.check("#id_confirm")
    rev.click("#publish-form input[name=publish]")
    expect(rev.locator(".messagelist")).to_contain_text("Published")

    # --- The article's change: published with the reviewer's stamp. -------------------------
    rev.get_by_role("link", name="How ketamine works").click()
    expect(rev.locator(".diff-field ins")).to_contain_text("other receptors")
    expect(rev.locator("#id_credentials")).to_have_value("Dana Lee, MD, psychiatrist")
    rev.check("#id_confirm")
    rev.click("#publish-form input[name=publish]")
    expect(rev.locator(".messagelist")).to_contain_text("Published")

    # --- The glossary change is sent back with a note. --------------------------------------
    rev.get_by_role("link", name="NMDA receptor").click()
    expect(rev.locator("#affected-pages")).to_contain_text("How ketamine works")
    rev.fill("#id_note", "The definition must say what the receptor does.")
    rev.click("#send-back-form input[name=send_back]")
    expect(rev.locator(".messagelist")).to_contain_text("Sent back")

    # --- Patients: the published changes under the new stamp, never the one sent back. -----
    today = date_format(timezone.localdate(), "F j, Y")
    patient.goto("/learn/how-it-works/")
    expect(patient.locator(".reference-list")).to_contain_text(NEW_CLAIM)
    expect(patient.locator(".article-body")).to_contain_text("other receptors")
    expect(patient.locator("header .meta")).to_contain_text(
        f"Page last reviewed: {today} by Dana Lee, MD, psychiatrist · Next review due:"
    )
    snap(patient, "review-patient-after-publish")
    patient.goto("/glossary/")
    expect(patient.locator("main")).to_contain_text(OLD_TERM)
    expect(patient.locator("main")).not_to_contain_text("made-up")

    # --- The editor finds the reviewer's note on the term. ----------------------------------
    ed.goto(f"/admin/glossary/term/{term.pk}/change/")
    expect(ed.locator("#sent-back")).to_contain_text("must say what the receptor does")

    # --- The audit trail has it all. --------------------------------------------------------
    rev.goto("/admin/audit/")
    events = rev.locator("#audit-events")
    expect(events).to_contain_text("Published after review")
    expect(events).to_contain_text("Sent back")
    expect(events).to_contain_text("Pending change")
