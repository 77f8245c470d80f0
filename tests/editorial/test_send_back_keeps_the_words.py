"""A change sent back stays its editor's draft: the form shows their words with the reviewer's
note, they edit and send it again, and their admin home lists what came back to them."""

import pytest

from ketamine_info.editorial.models import PendingChange
from ketamine_info.glossary.models import Term
from tests.editorial.test_pending_changes import claim_form, live, term_form  # noqa: F401
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

WORDS = "A switch on nerve cells that glutamate opens; ketamine blocks it.[@fast]"
NOTE = "Say what the switch does for mood, in plain words."


def send_back(reviewer_client, change, note=NOTE):
    url = f"/admin/editorial/pendingchange/{change.pk}/change/"
    reviewer_client.post(url, {"send_back": "1", "note": note})
    change.refresh_from_db()
    assert change.state == PendingChange.State.REJECTED


def test_the_form_shows_the_words_sent_back_with_the_note(live, editor_client, reviewer_client):  # noqa: F811
    term = live["term"]
    url = f"/admin/glossary/term/{term.pk}/change/"
    editor_client.post(url, term_form(term, body=WORDS))
    send_back(reviewer_client, PendingChange.objects.get())

    home = editor_client.get("/admin/").content.decode()
    returned = home[home.index('id="returned-to-me"') :]
    assert "Sent back to you (1)" in returned and NOTE in returned
    assert f'href="{url}"' in returned

    page = editor_client.get(url).content.decode()
    assert NOTE in page and "shows the version that was sent back" in page
    assert WORDS in page  # in the textarea: the editor's words, not the live text
    live_page = editor_client.get(url + "?live=1").content.decode()
    assert "A switch on nerve cells.[@fast]</textarea>" in live_page

    # Edited and sent again: a new change with every word, the old one set aside.
    term.refresh_from_db()
    again = WORDS.replace("opens;", "opens, which lifts mood in some people;")
    editor_client.post(url, term_form(term, body=again))
    waiting = PendingChange.objects.get(state=PendingChange.State.OPEN)
    assert waiting.values["body"] == again
    assert Term.objects.get().body == "A switch on nerve cells.[@fast]"  # still live text
    assert "Sent back to you" not in editor_client.get("/admin/").content.decode()
    assert "shows the version that was sent back" not in editor_client.get(url).content.decode()


def test_starting_again_from_the_live_text_sets_the_words_aside(
    live,  # noqa: F811
    editor_client,
    reviewer_client,
):
    term = live["term"]
    url = f"/admin/glossary/term/{term.pk}/change/"
    editor_client.post(url, term_form(term, body=WORDS))
    send_back(reviewer_client, PendingChange.objects.get())
    term.refresh_from_db()
    editor_client.post(url + "?live=1", term_form(term))
    assert not PendingChange.objects.filter(state=PendingChange.State.OPEN).exists()
    assert "Sent back to you" not in editor_client.get("/admin/").content.decode()
    assert "A switch on nerve cells.[@fast]</textarea>" in editor_client.get(url).content.decode()


def test_a_claims_citations_come_back_too(live, editor_client, reviewer_client):  # noqa: F811
    claim, citation = live["claim"], live["citation"]
    other = SourceFactory(title="A second trial")
    rows = [citation]
    data = claim_form(claim, "It can work within a day.", rows)
    data.update(
        {
            "citations-TOTAL_FORMS": 2,
            "citations-1-claim": claim.pk,
            "citations-1-source": other.pk,
            "citations-1-locator": "Table 2",
            "citations-1-excerpt": "",
            "citations-1-position": 1,
        }
    )
    url = f"/admin/citations/claim/{claim.pk}/change/"
    editor_client.post(url, data)
    send_back(reviewer_client, PendingChange.objects.get())
    page = editor_client.get(url).content.decode()
    assert "It can work within a day." in page and 'value="Table 2"' in page


def test_a_new_item_sent_back_is_offered_again_from_the_home_page(editor_client, reviewer_client):
    editor_client.post(
        "/admin/glossary/term/add/",
        {"term": "Dissociation", "slug": "dissociation", "aliases": "", "body": "Feeling far."},
    )
    change = PendingChange.objects.get()
    send_back(reviewer_client, change, note="Explain 'far' from what.")
    home = editor_client.get("/admin/").content.decode()
    add_url = f"/admin/glossary/term/add/?returned={change.pk}"
    assert f'href="{add_url}"' in home
    form = editor_client.get(add_url).content.decode()
    assert "Explain &#x27;far&#x27; from what." in form and "Feeling far.</textarea>" in form
    editor_client.post(
        add_url,
        {
            "term": "Dissociation",
            "slug": "dissociation",
            "aliases": "",
            "body": "Feeling far from your body.",
        },
    )
    waiting = PendingChange.objects.get(state=PendingChange.State.OPEN)
    assert waiting.values["body"] == "Feeling far from your body."
    assert "Sent back to you" not in editor_client.get("/admin/").content.decode()
