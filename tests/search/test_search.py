"""Site search: ranked, highlighted, safe with any query, and current after every edit."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.search.backends import MAX_QUERY_LENGTH, clean_query, marked, search, words
from ketamine_info.search.models import Document
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def titles(query):
    return [re.sub(r"</?mark>", "", str(hit.title_html)) for hit in search(query).hits]


def question(**kwargs):
    defaults = {"topic": "about", "position": 1, "status": "published"}
    return Question.objects.create(**{**defaults, **kwargs})


@pytest.fixture
def pages(db):
    return {
        "title_match": ArticleFactory(
            title="Nausea after a session", body="## Feeling sick\n\nIt passes quickly."
        ),
        "body_match": ArticleFactory(
            title="Side effects", body="## Common ones\n\nSome people have nausea or a headache."
        ),
        "question": question(
            slug="will-i-feel-sick",
            question="Will I feel sick?",
            body="Nausea is common. Your clinic may give you a medicine for it.",
        ),
        "term": Term.objects.create(
            slug="dissociation",
            term="Dissociation",
            aliases="dissociative\nfeeling detached",
            body="Feeling cut off from your body or your surroundings.",
        ),
        "draft": ArticleFactory(
            title="Nausea draft", body="## Draft\n\nNausea, not yet public.", status="draft"
        ),
    }


def test_results_are_ranked_across_articles_faqs_and_glossary(pages):
    found = titles("nausea")
    assert found[0] == "Nausea after a session"  # the title counts more than the text
    assert set(found) == {"Nausea after a session", "Side effects", "Will I feel sick?"}
    assert titles("detached") == ["Dissociation"]  # aliases are searched too


def test_each_result_links_to_its_page(pages):
    urls = {hit.url for hit in search("nausea").hits}
    assert pages["title_match"].get_absolute_url() in urls
    assert "/faq/#will-i-feel-sick" in urls
    assert [hit.url for hit in search("surroundings").hits] == ["/glossary/#dissociation"]


def test_snippets_mark_the_matched_words(pages):
    hit = next(h for h in search("headache").hits)
    assert "<mark>headache</mark>" in hit.snippet_html
    stemmed = next(h for h in search("people").hits)
    assert "<mark>people</mark>" in stemmed.snippet_html


def test_words_are_matched_by_their_stem(pages):
    # "passes" is indexed as "pass"; the query "passing" finds it.
    assert titles("passing") == ["Nausea after a session"]


def test_drafts_never_show(pages):
    assert "Nausea draft" not in titles("nausea")
    assert titles("public") == []


def test_every_word_must_match_before_any_word_does(pages):
    # The one page with both words comes first; pages with one of them follow.
    assert titles("nausea headache")[0] == "Side effects"
    assert not search("nausea headache").partial
    results = search("nausea zebra")
    assert results.partial
    assert {re.sub(r"</?mark>", "", str(h.title_html)) for h in results.hits} == {
        "Nausea after a session",
        "Side effects",
        "Will I feel sick?",
    }


ODD_QUERIES = [
    '"',
    '"nausea',
    "nausea\"'",
    "NOT nausea",
    "nausea AND OR NOT",
    "NEAR(nausea headache)",
    "nausea*",
    "*",
    "^nausea",
    "title:nausea",
    "body : nausea",
    "(nausea",
    "nausea)",
    "-nausea",
    "+nausea",
    "' OR '1'='1",
    "nausea'; DROP TABLE search_document; --",
    "1; SELECT * FROM auth_user",
    "%",
    "_",
    "\\",
    "\x00nausea\x00",
    "\x02nausea\x03",
    "😌",
    "nausea 😌🤢",
    "ketamine 💊 nausea",
    "ñáüsea",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "nausea" * 300,
    "nausea " * 250,  # 1,750 characters: cut to 200; over 2 KB the request gets 414
    "   ",
    "and the of",
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=lambda q: repr(q[:20]))
def test_odd_queries_never_error(client, pages, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    results = search(query)
    assert len(results.query) <= MAX_QUERY_LENGTH


def test_operators_and_quotes_are_searched_as_words(pages):
    assert titles("NOT nausea") == titles("nausea")  # "not" is a word here, not an operator
    assert titles('"nausea') == titles("nausea")
    assert titles("nausea*") == titles("nausea")
    assert titles("nausea'; DROP TABLE search_document; --")  # falls back to any word
    assert Document.objects.count() == 4


def test_a_very_long_query_is_cut_and_says_so(client, pages):
    query = "nausea " + "x" * 1500
    results = search(query)
    assert results.truncated
    assert len(results.query) == MAX_QUERY_LENGTH
    html = client.get("/search/", {"q": query}).content.decode()
    assert f"searched for its first {MAX_QUERY_LENGTH} characters" in html
    assert 'maxlength="200"' in html


def test_a_query_string_over_2_kb_is_refused_with_414(client, pages):
    response = client.get("/search/", {"q": "nausea " + "x" * 5000})
    assert response.status_code == 414


def test_query_helpers():
    assert clean_query("  a\x00b \n c  ") == "a b c"
    assert words("What is NAUSEA, and why?") == ["nausea"]
    assert words("the and of") == ["the", "and", "of"]  # nothing else: keep the small words
    assert words("😌 ¿?") == []


def test_snippets_escape_the_text_and_add_only_marks(pages):
    ArticleFactory(
        title="Tags <b>in</b> a title",
        body="Writers may type <script>alert(1)</script> & <img src=x onerror=alert(1)> okapi.",
    )
    hit = search("okapi").hits[0]
    assert "<mark>okapi</mark>" in hit.snippet_html
    # The only markup is the marks (PostgreSQL's ts_headline also drops tag-like words).
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet_html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet_html
    assert str(hit.title_html) == "Tags &lt;b&gt;in&lt;/b&gt; a title"
    assert str(marked("\x02a<\x03 \x02")) == "<mark>a&lt;</mark> "


def test_results_page(client, pages):
    response = client.get("/search/", {"q": "nausea"})
    html = response.content.decode()
    assert "3 pages found for <q>nausea</q>" in html
    assert '<link rel="canonical" href="https://ketamine.example.org/search/">' in html
    assert "noindex" not in html
    assert "<mark>Nausea</mark> after a session</a></h2>" in html
    assert 'aria-current="page">Search</a>' in html  # breadcrumb
    assert "<title>Search: nausea |" in html


def test_nothing_found_and_empty_query(client, pages):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "Nothing on this site matches <q>zebra</q>" in html
    html = client.get("/search/").content.decode()
    assert "<h1>Search</h1>" in html and "Nothing on this site" not in html


def test_every_page_has_a_search_box_and_the_404_page_another(client, pages):
    for path in ["/", "/faq/", pages["title_match"].get_absolute_url()]:
        html = client.get(path).content.decode()
        assert '<form class="search-form search-form-compact" role="search"' in html
        assert 'action="/search/" method="get"' in html
    html = client.get("/no-such-page/").content.decode()
    assert 'id="not-found-q"' in html


# --- the index follows every edit -------------------------------------------------------


def test_editing_an_article_updates_the_results(pages):
    article = pages["body_match"]
    article.body = "## Common ones\n\nSome people get an okapi-shaped rash."
    article.save()
    assert "Side effects" not in titles("headache")
    assert titles("okapi") == ["Side effects"]
    article.title = "Unwanted effects"
    article.save()
    assert titles("okapi") == ["Unwanted effects"]


def test_unpublishing_publishing_and_deleting_update_the_results(pages):
    article = pages["title_match"]
    article.status = "unpublished"
    article.save()
    assert "Nausea after a session" not in titles("nausea")
    draft = pages["draft"]
    draft.status = "published"
    draft.save()
    assert "Nausea draft" in titles("nausea")
    draft.delete()
    assert "Nausea draft" not in titles("nausea")
    assert not Document.objects.filter(title="Nausea draft").exists()


def test_questions_and_terms_follow_edits(pages):
    pages["question"].question = "Will I feel queasy?"
    pages["question"].save()
    assert "Will I feel queasy?" in titles("queasy")
    pages["question"].delete()
    assert titles("queasy") == []
    term = pages["term"]
    term.aliases = "spacing out"
    term.save()
    assert titles("detached") == []
    assert titles("spacing") == ["Dissociation"]
    term.delete()
    assert titles("spacing") == []


def test_a_stale_index_never_shows_a_private_page(pages):
    # QuerySet.update() sends no signal, so the index still has the document …
    type(pages["title_match"]).objects.filter(pk=pages["title_match"].pk).update(status="draft")
    assert Document.objects.filter(title="Nausea after a session").exists()
    # … but results are checked against .published() when shown.
    assert "Nausea after a session" not in titles("nausea")


def test_rebuild_search_index(pages):
    Document.objects.all().delete()
    assert titles("nausea") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip() == "indexed 4 documents"
    assert len(titles("nausea")) == 3


def test_shipped_content_search_for_nausea(client, shipped_content):
    response = client.get("/search/", {"q": "nausea"})
    assert response.status_code == 200
    results = search("nausea")
    assert results.hits
    assert all("<mark>" in (hit.snippet_html + hit.title_html) for hit in results.hits)
