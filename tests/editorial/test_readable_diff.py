"""The reviewer's diff: only the changed paragraphs with one either side, on the text patients
will read, with a switch to the Markdown; short enough to read on one screen."""

import re

import pytest

from ketamine_info.editorial.models import PendingChange
from ketamine_info.editorial.readable_diff import paragraph_diff, reader_paragraphs
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, CitationFactory, article_form_data

pytestmark = pytest.mark.django_db

PARAGRAPHS = [f"Paragraph {n} says something **plain** about care.[@fast]" for n in range(1, 31)]


@pytest.fixture
def change(editor_client):
    CitationFactory(claim__key="fast")
    body = "## First part\n\n" + "\n\n".join(PARAGRAPHS)
    article = ArticleFactory(slug="long", title="Long", status=Status.PUBLISHED, body=body)
    edited = body.replace("Paragraph 15 says something", "Paragraph 15 now says something else")
    editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form_data(article, body=edited)
    )
    return PendingChange.objects.get()


def diff_of(html: str) -> str:
    start = html.index("<h2>What changes</h2>")
    return html[start : html.index("Pages patients would see it on")]


def test_only_the_changed_paragraph_and_its_neighbours_as_patients_read_them(
    change, reviewer_client
):
    html = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    diff = diff_of(html.content.decode())
    assert "<ins>now </ins>" in diff and "<ins> else</ins>" in diff
    assert "Paragraph 14" in diff and "Paragraph 16" in diff
    assert (
        "Paragraph 13 " not in diff and "Paragraph 17 " not in diff and "Paragraph 30" not in diff
    )
    assert "unchanged …" in diff
    # The text patients read: no Markdown, the reference number in its place.
    assert (
        "**" not in diff and "[@fast]" not in diff and "care.\u2060 [1]" in diff
    )  # the renderer keeps a number with its word
    assert 'href="?view=markdown"' in diff


def test_the_markdown_is_one_click_away(change, reviewer_client):
    url = f"/admin/editorial/pendingchange/{change.pk}/change/?view=markdown"
    diff = diff_of(reviewer_client.get(url).content.decode())
    assert "**plain**" in diff and "[@fast]" in diff
    assert "Paragraph 30" not in diff and "Paragraph 14" in diff
    assert "Show the text patients will read" in diff


def test_paragraph_diff_names_what_it_leaves_out():
    old = ["a", "b", "c", "d", "e"]
    kinds = [b.kind for b in paragraph_diff(old, ["a", "b", "C", "d", "e"])]
    assert kinds == ["gap", "same", "changed", "same", "gap"]
    added = paragraph_diff(old, [*old, "f"])
    assert [b.kind for b in added] == ["gap", "same", "changed"]
    assert "<ins>f</ins>" in added[-1].html


def test_reader_paragraphs_are_what_the_page_shows():
    text = "## Heading\n\nSome *words*.\n\n- one\n- two\n\n<script>x</script>"
    paragraphs = reader_paragraphs(text)
    assert paragraphs[:4] == ["## Heading", "Some words.", "one", "two"]
    # Typed HTML is shown as text on the page, and escaped in the diff.
    blocks = paragraph_diff([], paragraphs)
    assert "&lt;script&gt;" in blocks[-1].html and "<script>" not in blocks[-1].html


def test_the_forms_are_laid_out_as_the_admins(change, reviewer_client):
    html = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    html = html.content.decode()
    publish = html[html.index('id="publish-form"') : html.index('id="send-back-module"')]
    assert 'class="module aligned"' in publish and 'class="submit-row"' in publish
    assert "checkbox-row" in publish and 'id="id_credentials_helptext"' in publish
    send_back = html[html.index('id="send-back-form"') :]
    assert 'class="module aligned"' in send_back and "field-note" in send_back


def test_the_kind_filter_lists_only_content_kinds(change, reviewer_client):
    html = reviewer_client.get("/admin/editorial/pendingchange/").content.decode()
    start = html.index("By kind")
    kinds = html[start : html.index("</ul>", start)]
    assert "Articles" in kinds and "Glossary terms" in kinds
    for internal in ("session", "Session", "TOTP", "Access attempt", "Permission", "Content type"):
        assert internal not in kinds
    from django.contrib.contenttypes.models import ContentType

    article = ContentType.objects.get(app_label="articles", model="article")
    only = reviewer_client.get(f"/admin/editorial/pendingchange/?kind={article.pk}")
    assert "Long" in only.content.decode()
    term = ContentType.objects.get(app_label="glossary", model="term")
    none = reviewer_client.get(f"/admin/editorial/pendingchange/?kind={term.pk}")
    assert "0 pending changes" in none.content.decode() or "Long</a>" not in none.content.decode()


def test_a_new_contact_blocks_key_is_shown_once_and_empty_fields_not_at_all(
    editor_client, reviewer_client
):
    fields = {
        "name": "Main footer",
        "key": "riverside-footer-key",
        "placement": "footer",
        "active": "on",
        "heading": "Talk to us",
        "clinic_name": "Riverside",
        "body": "",
        "phone": "+15035550199",
        "sms_phone": "",
        "email": "",
        "booking_url": "",
        "street_address": "",
        "locality": "",
        "region": "",
        "postal_code": "",
        "country": "US",
        "position": "0",
        "hours-TOTAL_FORMS": "0",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    assert editor_client.post("/admin/clinics/contactblock/add/", fields).status_code == 302
    change = PendingChange.objects.get()
    html = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    html = html.content.decode()
    assert html.count("riverside-footer-key") == 1
    diff = diff_of(html)
    assert "<h3>Street address</h3>" not in diff and "<h3>Phone</h3>" in diff


def test_the_preview_marks_what_changed(change, reviewer_client):
    url = f"/preview/change/{change.pk}/?path=/learn/long/"
    html = reviewer_client.get(url).content.decode()
    marked = re.findall(r'<p class="preview-changed">(.*?)</p>', html, re.S)
    assert len(marked) == 1 and "now says something else" in marked[0]
    assert "Changed paragraphs are outlined." in html
