"""Send back and send again without losing a word, in a real browser; the reviewer's diff of a
one-sentence change to a long article fits on one screen."""

import pytest
from playwright.sync_api import expect

from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.browser.test_editorial_workflow import person  # noqa: F401 - a fixture
from tests.factories import ArticleFactory, CitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPHS = [
    f"Paragraph {n}: ketamine is given in a clinic, and a nurse checks on you during and after "
    f"each session, so that someone is there if you feel strange or unwell.[@fast]"
    for n in range(1, 41)
]
NOTE = "Say how long people stay at the clinic after a session."


def test_send_back_and_send_again_without_losing_a_word(person, editor, reviewer, record_property):  # noqa: F811
    CitationFactory(claim__key="fast")
    body = "## What happens\n\n" + "\n\n".join(PARAGRAPHS)
    article = ArticleFactory(slug="visit", title="A visit", status=Status.PUBLISHED, body=body)
    mine = body.replace("Paragraph 20: ketamine", "Paragraph 20: most often, ketamine")

    ed = person("editor")
    ed.goto(f"/admin/articles/article/{article.pk}/change/")
    ed.fill("#id_body", mine)
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")

    rev = person("reviewer")
    rev.set_viewport_size({"width": 1280, "height": 800})
    change = PendingChange.objects.get()
    rev.goto(f"/admin/editorial/pendingchange/{change.pk}/change/")
    diff = rev.locator(".diff-field").first
    expect(diff).to_contain_text("most often,")
    height = diff.bounding_box()["height"]
    page_height = rev.evaluate("document.documentElement.scrollHeight")
    record_property(
        "figure",
        f"diff of a one-sentence change to a 40-paragraph article: {height:.0f} px "
        f"(review screen {page_height} px tall at 1280x800)",
    )
    assert height < 400, f"the diff of one sentence is {height} px tall"
    rev.fill("#id_note", NOTE)
    rev.click("input[name=send_back]")
    expect(rev.locator(".messagelist")).to_contain_text("Sent back")

    ed.goto("/admin/")
    returned = ed.locator("#returned-to-me")
    expect(returned).to_contain_text(NOTE)
    returned.get_by_role("link", name="A visit").click()
    expect(ed.locator("#sent-back")).to_contain_text(NOTE)
    assert ed.input_value("#id_body") == mine  # every word, as typed
    again = mine.replace("Paragraph 21: ketamine", "Paragraph 21: for about two hours, ketamine")
    ed.fill("#id_body", again)
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_contain_text("waits for a clinical reviewer")
    waiting = PendingChange.objects.get(state=PendingChange.State.OPEN)
    assert waiting.values["body"] == again
    ed.goto("/admin/")
    expect(ed.locator("#returned-to-me")).to_have_count(0)
