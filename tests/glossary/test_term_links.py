"""The first use of a glossary term in an article or FAQ answer links to its definition."""

import re

import pytest

from ketamine_info.articles.models import Article
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.markup import render
from tests.factories import ArticleFactory, CitationFactory

TERMS = {
    "NMDA receptor": "/glossary/#nmda-receptor",
    "NMDA receptors": "/glossary/#nmda-receptor",
    "anesthetic": "/glossary/#anesthetic",
    "sub-anesthetic dose": "/glossary/#subanesthetic-dose",
    "Electroconvulsive therapy (ECT)": "/glossary/#ect",
    "ECT": "/glossary/#ect",
}


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="term" href="([^"]+)">([^<]+)</a>', html)


def test_only_the_first_use_of_a_term_or_any_alias_links():
    html = render(
        "NMDA receptors are small. An NMDA receptor sits on a nerve cell. NMDA receptors again.",
        terms=TERMS,
    ).html
    assert links(html) == [("/glossary/#nmda-receptor", "NMDA receptors")]


def test_matching_ignores_case_but_keeps_the_writers_text():
    assert links(render("An Anesthetic, then ect.", terms=TERMS).html) == [
        ("/glossary/#anesthetic", "Anesthetic"),
        ("/glossary/#ect", "ect"),
    ]


def test_whole_words_only_and_the_longest_term_wins():
    html = render("A subanesthetic or sub-anesthetic dose; later an anesthetic.", terms=TERMS).html
    assert links(html) == [
        ("/glossary/#subanesthetic-dose", "sub-anesthetic dose"),
        ("/glossary/#anesthetic", "anesthetic"),
    ]


def test_terms_in_headings_links_code_and_markers_are_left_alone():
    text = (
        "## About the NMDA receptor\n\n"
        "See [an anesthetic](https://example.org), `ECT`, [@nmda-receptor].\n\n"
        "| ECT | x |\n|---|---|\n| y | z |\n\n"
        "Then **the NMDA receptor** and *ECT* in running text."
    )
    html = render(text, terms=TERMS).html
    assert links(html) == [("/glossary/#nmda-receptor", "NMDA receptor"), ("/glossary/#ect", "ECT")]
    assert '<h2 id="h-about-the-nmda-receptor">About the NMDA receptor</h2>' in html
    assert "<strong>the <a class" in html and "<em><a class" in html


def test_a_term_linked_once_is_skipped_whole_later():
    # The second "sub-anesthetic dose" must not link its inner "anesthetic".
    html = render("A sub-anesthetic dose. A sub-anesthetic dose.", terms=TERMS).html
    assert links(html) == [("/glossary/#subanesthetic-dose", "sub-anesthetic dose")]


def test_term_text_is_escaped_and_odd_characters_are_literal():
    terms = {"C++ (a.k.a. <b>)": "/glossary/#odd", "a.b": "/glossary/#dots"}
    html = render("Try C++ (a.k.a. <b>) and axb and a.b.", terms=terms).html
    assert links(html) == [("/glossary/#odd", "C++ (a.k.a. &lt;b&gt;)"), ("/glossary/#dots", "a.b")]
    assert "<b>" not in html


def test_without_terms_nothing_is_linked():
    assert 'class="term"' not in render("An anesthetic.").html
    assert 'class="term"' not in render("An anesthetic.", terms={}).html


# --- in the site ------------------------------------------------------------------------


@pytest.fixture
def glossary(db):
    return Term.objects.create(
        slug="nmda-receptor", term="NMDA receptor", aliases="NMDA receptors", body="A receptor."
    )


@pytest.mark.django_db
def test_articles_and_faq_answers_link_terms_but_definitions_do_not(client, glossary):
    article = ArticleFactory(body="## How\n\nKetamine blocks NMDA receptors. NMDA receptors!")
    question = Question.objects.create(
        slug="how", question="How?", topic="about", position=1, status="published",
        body="It blocks the NMDA receptor.",
    )  # fmt: skip
    assert links(article.body_html) == [("/glossary/#nmda-receptor", "NMDA receptors")]
    assert links(question.body_html) == [("/glossary/#nmda-receptor", "NMDA receptor")]
    other = Term.objects.create(slug="receptor", term="Receptor", body="An NMDA receptor is one.")
    assert links(other.body_html) == []
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a class="term" href="/glossary/#nmda-receptor">NMDA receptors</a>' in html
    assert 'id="nmda-receptor"' in client.get("/glossary/").content.decode()


@pytest.mark.django_db
def test_adding_changing_and_removing_a_term_relinks_pages(glossary):
    article = ArticleFactory(body="## Why\n\nA placebo and the NMDA receptor.")
    draft = ArticleFactory(body="## Draft\n\nA placebo.", status="draft")
    updated = article.updated
    placebo = Term.objects.create(slug="placebo", term="Placebo", body="A dummy treatment.")
    article.refresh_from_db()
    draft.refresh_from_db()
    assert links(article.body_html) == [
        ("/glossary/#placebo", "placebo"),
        ("/glossary/#nmda-receptor", "NMDA receptor"),
    ]
    assert links(draft.body_html) == [("/glossary/#placebo", "placebo")]
    assert article.updated == updated  # the text did not change, so neither did "Last updated"

    placebo.slug = "dummy-treatment"
    placebo.save()
    article.refresh_from_db()
    assert ("/glossary/#dummy-treatment", "placebo") in links(article.body_html)

    placebo.delete()
    article.refresh_from_db()
    assert links(article.body_html) == [("/glossary/#nmda-receptor", "NMDA receptor")]


@pytest.mark.django_db
def test_relinking_keeps_reference_markers_and_claims(glossary):
    citation = CitationFactory()
    article = ArticleFactory(body=f"## Why\n\nA placebo works.[@{citation.claim.key}]")
    Term.objects.create(slug="placebo", term="Placebo", body="A dummy treatment.")
    article = Article.objects.get(pk=article.pk)
    assert 'id="cite-1-1"' in article.body_html
    assert article.claim_keys == [citation.claim.key]
    assert list(article.claims.all()) == [citation.claim]


def test_shipped_articles_link_their_glossary_terms(client, shipped_content):
    html = client.get("/learn/how-ketamine-works/").content.decode()
    assert '<a class="term" href="/glossary/#nmda-receptor">NMDA receptor</a>' in html
    for article in Article.objects.published():
        hrefs = [href for href, _ in links(article.body_html)]
        assert len(hrefs) == len(set(hrefs)), article.slug  # each term linked once at most
