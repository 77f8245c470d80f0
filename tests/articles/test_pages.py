"""Home and article pages as a browser gets them."""

import pytest

from tests.factories import ArticleFactory, CitationFactory

pytestmark = pytest.mark.django_db


def test_home_links_every_published_article_in_order(client):
    second = ArticleFactory(title="Second", position=2)
    first = ArticleFactory(title="First", position=1)
    ArticleFactory(title="Hidden draft", status="draft")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.get_absolute_url()) < html.index(second.get_absolute_url())
    assert "Hidden draft" not in html


def test_article_page_shows_body_references_and_crisis_help(client):
    citation = CitationFactory(claim__statement="Ketamine was first made in 1962.")
    article = ArticleFactory(
        slug="how-it-works", body=f"## History\n\nIt is old.[@{citation.claim.key}]"
    )
    response = client.get("/learn/how-it-works/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f"<h1>{article.title}</h1>" in html
    assert '<h2 id="h-history">History</h2>' in html
    # The number names the claim it stands for, so a check can follow it to its source.
    assert (
        f'<a aria-label="Source [1]" class="claim-ref" data-claims="{citation.claim.key}" '
        'href="#ref-1" id="cite-1-1">[1]</a>'
    ) in html
    assert '<li id="ref-1">' in html
    assert "Ketamine was first made in 1962." in html
    assert citation.source.get_absolute_url() in html
    assert 'href="#cite-1-1"' in html  # back to where it is cited
    assert 'href="tel:988"' in html and 'href="sms:988"' in html and 'href="tel:911"' in html
    assert "not medical advice" in html
    assert f'<meta name="description" content="{article.summary}">' in html


@pytest.mark.parametrize("path", ["/learn/no-such-article/", "/learn/draft/", "/nowhere/"])
def test_unknown_or_unpublished_pages_get_the_404_page(client, path):
    ArticleFactory(slug="draft", status="draft")
    response = client.get(path)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_previous_and_next_links_follow_navigation_order(client):
    a = ArticleFactory(position=1)
    b = ArticleFactory(position=2)
    c = ArticleFactory(position=3)
    html = client.get(b.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{a.get_absolute_url()}"' in html
    assert f'rel="next" href="{c.get_absolute_url()}"' in html


def test_public_pages_set_no_cookies(client):
    article = ArticleFactory()
    for path in ["/", article.get_absolute_url(), "/sources/", "/learn/missing/"]:
        assert not client.get(path).cookies, path


# --- "On this page" and related articles ------------------------------------------------


def sections(n: int) -> str:
    return "\n\n".join(f"## Part {i} is **here**\n\nText {i}." for i in range(1, n + 1))


def test_long_articles_list_their_sections_on_this_page(client):
    article = ArticleFactory(body=sections(4))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<nav class="toc on-this-page" aria-labelledby="on-this-page">' in html
    assert '<li><a href="#h-part-1-is-here">Part 1 is here</a></li>' in html
    assert '<li><a href="#h-part-4-is-here">Part 4 is here</a></li>' in html
    assert html.index("on-this-page") < html.index('id="h-part-1-is-here"')


def test_short_articles_have_no_contents_list(client):
    article = ArticleFactory(body=sections(3))
    assert "On this page" not in client.get(article.get_absolute_url()).content.decode()


def test_related_articles_share_a_topic_or_claims(client):
    shared = CitationFactory()
    article = ArticleFactory(topic="safety", body=f"## A\n\nText.[@{shared.claim.key}]")
    same_topic = ArticleFactory(topic="safety", title="Same topic")
    same_claim = ArticleFactory(
        topic="access", title="Same claim", body=f"## B\n\nMore.[@{shared.claim.key}]"
    )
    ArticleFactory(topic="access", title="Unrelated")
    ArticleFactory(topic="safety", title="Hidden draft", status="draft")
    html = client.get(article.get_absolute_url()).content.decode()
    section = html[html.index('id="related-articles"') :]
    section = section[: section.index("</section>")]
    assert section.index(same_topic.title) < section.index(same_claim.title)
    assert "Unrelated" not in section and "Hidden draft" not in section
