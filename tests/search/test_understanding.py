"""Search that understands patients' words: synonyms staff edit, spelling tolerance, ranking,
best bets, crisis help first, one search box, and a small number of queries per search."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketamine_info.contentsync import sync
from ketamine_info.editorial.models import PendingChange
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.search.backends import search
from ketamine_info.search.crisis import suggests_crisis
from ketamine_info.search.models import BestBet, Synonym, SynonymPhrase
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [re.sub(r"</?mark>", "", str(hit.title_html)) for hit in search(query, **kwargs).hits]


def question(**kwargs):
    defaults = {"topic": "about", "position": 1, "status": "published"}
    return Question.objects.create(**{**defaults, **kwargs})


@pytest.fixture
def pages(db):
    return {
        "dissociation": Term.objects.create(
            slug="dissociation",
            term="Dissociation",
            body="Feeling cut off from your body or your surroundings.",
        ),
        "nausea": question(
            slug="will-i-feel-sick", question="Will I be sick?", body="Nausea is common."
        ),
        "overview": ArticleFactory(
            title="What ketamine is",
            position=1,
            body="## What it is\n\nKetamine is an old medicine. It can ease depression.",
        ),
        "given": ArticleFactory(
            title="How ketamine is given",
            position=2,
            body="## IV\n\nKetamine can be given as a drip into a vein. Ketamine, ketamine.",
        ),
    }


# --- Synonyms ----------------------------------------------------------------------------


def test_a_synonym_finds_the_page_that_uses_the_other_word(pages):
    assert titles("k-hole") == []
    Synonym.objects.create(key="dissociation", term="dissociation", variants="K-Hole\nout of body")
    assert titles("k-hole") == ["Dissociation"]
    assert titles("khole") == []  # only what is listed
    assert titles("K HOLE!") == ["Dissociation"]  # case and punctuation do not matter
    assert titles("an out of body feeling") == ["Dissociation"]  # a phrase inside a query


def test_a_synonym_keeps_the_word_typed_and_every_other_word_still_counts(pages):
    Synonym.objects.create(key="nausea", term="nausea", variants="feel sick")
    assert titles("feel sick") == ["Will I be sick?"]
    assert search("feel sick drip").partial


def test_editing_or_deleting_a_synonym_changes_the_next_search(pages):
    synonym = Synonym.objects.create(key="dissociation", term="dissociation", variants="k-hole")
    assert titles("tripping") == []
    synonym.variants = "k-hole\ntripping"
    synonym.save()
    assert titles("tripping") == ["Dissociation"]
    assert sorted(SynonymPhrase.objects.values_list("phrase", flat=True)) == ["k hole", "tripping"]
    synonym.delete()
    assert titles("tripping") == []
    assert not SynonymPhrase.objects.exists()


def test_synonym_validation():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Synonym(key="x", term="!!", variants="a").full_clean()
    with pytest.raises(ValidationError):
        Synonym(key="x", term="nausea", variants="\n  \n").full_clean()
    Synonym(key="x", term="nausea", variants="queasy").full_clean()


def test_synonyms_load_from_and_export_to_content(content_dir, tmp_path):
    (content_dir / "synonyms").mkdir()
    (content_dir / "synonyms" / "nausea.yaml").write_text(
        "term: nausea\nvariants:\n- feel sick\n- queasy\n"
    )
    # Without --publish a new synonym waits for a reviewer, like any change to what a search
    # finds; the operator's --publish loads it as it is.
    assert "synonyms/nausea.yaml" in sync.load(content_dir).pending
    assert not Synonym.objects.exists() and not titles("queasy")
    report = sync.load(content_dir, publish=True)
    assert "synonyms/nausea.yaml" in report.created
    synonym = Synonym.objects.get(key="nausea")
    assert synonym.variant_list == ["feel sick", "queasy"]
    assert set(synonym.phrases.values_list("phrase", flat=True)) == {"feel sick", "queasy"}
    assert not sync.load(content_dir).changed  # idempotent
    out = tmp_path / "out"
    sync.export(out)
    assert (out / "synonyms" / "nausea.yaml").read_text() == (
        content_dir / "synonyms" / "nausea.yaml"
    ).read_text()


def test_a_bad_synonym_file_is_refused(content_dir):
    (content_dir / "synonyms").mkdir()
    (content_dir / "synonyms" / "bad.yaml").write_text("term: nausea\nwords:\n- sick\n")
    with pytest.raises(sync.ContentErrors, match="unknown field 'words'"):
        sync.load(content_dir)
    assert not Synonym.objects.exists()


def test_the_shipped_synonyms_load_and_cover_the_subject(shipped_content):
    assert Synonym.objects.count() >= 50
    assert titles("spravatto")  # brand-name misspelling
    assert "Dissociation" in titles("k hole")


def publish_pending(client, change) -> None:
    response = client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]


def test_staff_edit_a_synonym_in_the_admin(staff_client, pages):
    response = staff_client.get("/admin/search/synonym/add/")
    assert response.status_code == 200
    response = staff_client.post(
        "/admin/search/synonym/add/",
        {"term": "dissociation", "variants": "zonked\nspaced out", "key": "dissociation"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert titles("zonked") == []  # waiting for a clinical reviewer
    publish_pending(staff_client, PendingChange.objects.get())
    assert titles("zonked") == ["Dissociation"]
    listing = staff_client.get("/admin/search/synonym/").content.decode()
    assert "zonked, spaced out" in listing


def test_a_published_synonym_reaches_a_cached_results_page(
    client, pages, settings, reviewer, django_capture_on_commit_callbacks
):
    from django.test import Client

    from ketamine_info.editorial import review

    def publish(values, live=None):
        change = review.propose(Synonym, values, live=live)
        with django_capture_on_commit_callbacks(execute=True):
            return review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")

    settings.PAGE_CACHE_SECONDS = 300
    anonymous = Client()
    assert "Nothing on this site matches" in anonymous.get("/search/?q=zonked").content.decode()
    synonym = publish({"key": "dissociation", "term": "dissociation", "variants": "zonked"})
    html = anonymous.get("/search/?q=zonked").content.decode()
    assert "1 page found" in html and "Dissociation" in html
    publish({"variants": "spaced out"}, live=synonym)
    assert "Nothing on this site matches" in anonymous.get("/search/?q=zonked").content.decode()


# --- Spelling -----------------------------------------------------------------------------


def test_a_misspelled_word_is_corrected_to_the_nearest_indexed_word(pages):
    results = search("nausia")
    assert results.corrected == "nausea"
    assert [h.title for h in results.hits] == ["Will I be sick?"]
    assert search("dissasociation").corrected == "dissociation"
    assert search("Ketamene drip").corrected == "ketamine drip"


def test_literal_search_and_words_that_match_are_never_corrected(pages):
    assert search("nausia", literal=True).hits == []
    assert search("nausea").corrected == ""
    assert search("qwxzv").corrected == ""  # nothing near enough: nothing to show
    assert search("sick").corrected == ""


def test_the_page_says_showing_results_for_and_links_the_literal_words(client, pages):
    html = client.get("/search/", {"q": "nausia"}).content.decode()
    assert (
        'Showing results for <q><a href="/search/?q=nausea">nausea</a></q>; search instead for '
        '<q><a href="/search/?q=nausia&amp;literal=1">nausia</a></q>.'
    ) in html
    assert "Will I be sick?" in html
    literal = client.get("/search/", {"q": "nausia", "literal": "1"}).content.decode()
    assert "Showing results for" not in literal
    assert "Nothing on this site matches <q>nausia</q>" in literal


# --- Ranking ------------------------------------------------------------------------------


def test_a_word_most_pages_use_puts_the_overview_first(pages):
    question(slug="is-ketamine-safe", question="Is ketamine safe?", body="Ketamine has risks.")
    found = titles("ketamine")
    assert found[:2] == ["What ketamine is", "How ketamine is given"]


def test_a_title_weighs_more_than_headings_and_headings_more_than_the_body(db):
    ArticleFactory(title="Okapi", body="## Notes\n\nNothing here.")
    ArticleFactory(title="Other", body="## Okapi facts\n\nNothing here either.")
    ArticleFactory(title="Third", body="## Notes\n\nAn okapi, once.")
    assert titles("okapi") == ["Okapi", "Other", "Third"]


def test_one_faq_page_does_not_fill_the_top_of_the_list(db):
    for n in range(5):
        question(slug=f"q{n}", question=f"Okapi question {n}?", body="Okapi okapi.", position=n)
    ArticleFactory(title="An article", body="## Section\n\nOne okapi.")
    hits = search("okapi").hits
    assert len(hits) == 6
    assert [h.page for h in hits[:3]] == ["/faq/", "/faq/", hits[2].page]
    assert hits[2].kind == "article"  # the third place goes to another page
    assert [h.page for h in hits[3:]] == ["/faq/"] * 3  # the rest still follow


# --- Best bets ----------------------------------------------------------------------------


def test_a_best_bet_comes_first_with_a_label(client, pages):
    BestBet.objects.create(query="COST?", article=pages["given"])
    assert titles("cost") == ["How ketamine is given"]
    assert titles("How much does it cost") == ["How ketamine is given"]  # a run of its words
    BestBet.objects.create(query="How much does it cost", article=pages["overview"], position=2)
    assert titles("much cost") == ["How ketamine is given", "What ketamine is"]
    assert titles("cost") == ["How ketamine is given"]  # a bet's words must all be there
    BestBet.objects.create(query="ketamine", question=pages["nausea"])
    results = search("ketamine")
    assert results.hits[0].title == "Will I be sick?" and results.hits[0].pinned
    assert [h.title for h in results.hits].count("Will I be sick?") == 1
    html = client.get("/search/", {"q": "Ketamine"}).content.decode()
    assert '<li class="best-bet">\n        <p class="result-label">Recommended</p>' in html
    assert html.count("Recommended") == 1


def test_a_best_bet_for_a_page_the_public_may_not_see_is_left_out(pages):
    draft = ArticleFactory(title="Draft", body="## A\n\nB.", status="draft")
    BestBet.objects.create(query="cost", article=draft)
    assert titles("cost") == []


def test_a_best_bet_names_exactly_one_page(pages):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        BestBet(query="cost").full_clean()
    with pytest.raises(ValidationError):
        BestBet(query="cost", article=pages["given"], term=pages["dissociation"]).full_clean()
    BestBet(query="cost", article=pages["given"]).full_clean()


def test_staff_pin_a_page_in_the_admin(staff_client, client, pages):
    response = staff_client.post(
        "/admin/search/bestbet/add/",
        {"query": "drip", "position": 1, "term": pages["dissociation"].pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert titles("drip")[0] != "Dissociation"  # waiting for a clinical reviewer
    publish_pending(staff_client, PendingChange.objects.get())
    assert titles("drip")[0] == "Dissociation"


# --- Crisis help first --------------------------------------------------------------------

CRISIS = [
    "suicide",
    "I want to die",
    "i wanna die",
    "kill myself",
    "kil my self",
    "killmyself",
    "how to end my life",
    "self-harm",
    "selfharm",
    "self harming",
    "cutting myself",
    "overdose",
    "how much ketamine to OD",
    "overdoes on ketamine",
    "I feel hopeless",
    "hopless",
    "sucide",
    "suicdal thoughts",
    "suiside",
    "I wish I was dead",
    "better off dead",
    "no reason to live",
    "I don't want to live anymore",
    "want to dieeee",
    "take my own life",
    "I just want to end it",
    "SUICIDAL!!!",
    "unalive myself",
    "can't go on",
]
NOT_CRISIS = [
    "nausea",
    "ketamine",
    "how long does it last",
    "can I take it with food",
    "living with depression",
    "end of session",
    "review overdue",
    "hopeful",
    "self care",
    "kill pain",
]


@pytest.mark.parametrize("query", CRISIS)
def test_crisis_words_put_crisis_help_above_everything(client, pages, query):
    assert suggests_crisis(query)
    html = client.get("/search/", {"q": query}).content.decode()
    main = html[html.index('<main id="main"') :]
    box = main.index('<aside class="crisis" aria-labelledby="crisis-heading-search">')
    assert 'href="tel:988"' in main[box:] and 'href="sms:988"' in main[box:]
    assert 'href="tel:911"' in main[box:]
    # Nothing comes before it in the main content: no breadcrumbs, heading, form or result.
    assert main.index(">", 0) < box
    before = re.sub(r"<main[^>]*>|<div class=\"wrap (prose|crisis-wrap)\">|\s", "", main[:box])
    assert before == ""
    assert box < main.index("<h1>")


@pytest.mark.parametrize("query", NOT_CRISIS)
def test_other_searches_show_no_extra_crisis_box(client, pages, query):
    assert not suggests_crisis(query)
    html = client.get("/search/", {"q": query}).content.decode()
    assert "crisis-heading-search" not in html


def test_staff_cannot_edit_crisis_help_away(client, pages):
    # Synonyms and best bets change what is found, never whether crisis help shows first.
    Synonym.objects.create(key="x", term="nausea", variants="suicide\nkill myself")
    BestBet.objects.create(query="suicide", term=Term.objects.first())
    html = client.get("/search/", {"q": "suicide"}).content.decode()
    assert html.index("crisis-heading-search") < html.index("Recommended")


# --- One search box, queries, odd input ---------------------------------------------------


def test_the_results_page_has_one_search_box_with_a_visible_label(client, pages):
    html = client.get("/search/", {"q": "nausea"}).content.decode()
    assert html.count('role="search"') == 1
    assert '<label for="search-page-q">Search this site</label>' in html
    assert 'id="site-search-q"' not in html
    home = client.get("/").content.decode()
    assert 'id="site-search-q"' in home  # other pages keep the header's box


def test_a_search_costs_a_few_queries(shipped_content):
    for query in ["nausea", "k hole", "nausia", "kil myself", "feel sick after the drip", "zzzqx"]:
        with CaptureQueriesContext(connection) as queries:
            search(query)
        assert len(queries) <= 7, (query, [q["sql"][:100] for q in queries])


def test_the_cost_does_not_grow_with_the_content(shipped_content):
    with CaptureQueriesContext(connection) as before:
        search("nausia headache")
    for n in range(30):
        ArticleFactory(title=f"Extra {n}", body=f"## More\n\nNausea and headache {n}.")
        Synonym.objects.create(key=f"s{n}", term="nausea", variants=f"word{n}")
    with CaptureQueriesContext(connection) as after:
        search("nausia headache")
    assert len(after) <= len(before)


ODD = [
    '"feel sick"',
    "k-hole AND NOT nausea",
    'spravato" OR 1=1 --',
    "NEAR(k hole)",
    "ketamene*",
    "\x00suicide\x00",
    "😌 k hole 🤢",
    "nausia " * 300,
    "x" * 2000,
    "a " * 1000,
    "%_\\'\"",
    "ñáüsia",
    "<script>alert(1)</script> nausia",
]


@pytest.mark.parametrize("query", ODD, ids=lambda q: repr(q[:20]))
def test_any_input_gives_a_page(client, pages, query):
    Synonym.objects.create(key="dissociation", term="dissociation", variants="k hole")
    response = client.get("/search/", {"q": query, "literal": "1"})
    assert response.status_code in (200, 414)
    response = client.get("/search/", {"q": query[:1900]})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_rebuild_keeps_the_vocabulary_for_spelling(pages):
    call_command("rebuild_search_index", stdout=StringIO())
    assert search("nausia").corrected == "nausea"
