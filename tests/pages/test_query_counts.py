"""Building a page costs a fixed number of queries, whatever the amount of content.

Each public page type is built with the page cache off and its queries counted; then the site
gets more of everything a page lists or cites (articles, questions, claims, citations, sources,
drawings placed, glossary terms, contact blocks with hours) and the same pages are counted again.
No number is pinned: a page may need a query more after a change, but never one per item.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation
from ketamine_info.clinics.models import Placement
from ketamine_info.decisions.models import Comparison
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.pages.models import Page
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    ContactBlockFactory,
    OpeningHoursFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

ARTICLE = "how-ketamine-works"
MORE = 6  # of each kind


def paths() -> dict[str, str]:
    article = Article.objects.get(slug=ARTICLE)
    source = Citation.objects.filter(claim__key=article.claim_keys[0]).first().source
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "FAQ": "/faq/",
        "glossary": "/glossary/",
        "sources": "/sources/",
        "a source": source.get_absolute_url(),
        "a comparison": Comparison.objects.get(language="en").get_absolute_url(),
        "a stand-alone page": Page.objects.get(slug="about").get_absolute_url(),
        "a search": "/search/?q=nausea",
    }


def count_queries() -> dict[str, int]:
    counts = {}
    for name, path in paths().items():
        client = Client()
        client.get(path)  # site-wide fragments remembered, as in a process already serving
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(queries)
    return counts


def append(item, text: str) -> None:
    item.body = f"{item.body}\n\n{text}\n"
    item.save()


def add_more_of_everything() -> None:
    article = Article.objects.get(slug=ARTICLE)
    source = Citation.objects.filter(claim__key=article.claim_keys[0]).first().source
    claims = []
    for n in range(MORE):
        claim = ClaimFactory(key=f"more-claim-{n}", statement=f"More is said, {n}.")
        CitationFactory(claim=claim, source=source, locator=f"Table {n}")
        CitationFactory(claim=claim, source=SourceFactory(key=f"more-source-{n}"))
        claims.append(claim)
    markers = "".join(f"[@{claim.key}]" for claim in claims)
    # The article cites more claims and places every drawing; so do other pages.
    append(article, f"## More\n\nMore words about nausea.{markers}")
    for figure in ("course-timeline", "routes"):
        append(article, f"[[figure {figure}]]")
    for n in range(MORE):
        ArticleFactory(
            slug=f"more-{n}",
            topic=article.topic,
            body=f"## Part\n\nNausea, again.{markers}\n\n[[figure synapse]]",
        )
        Question.objects.create(
            slug=f"more-question-{n}",
            question=f"More question {n} about nausea?",
            topic=article.topic,
            status="published",
            body=f"An answer.{markers}",
        )
        Term.objects.create(slug=f"more-term-{n}", term=f"Moreword{n}", body=f"Meaning.{markers}")
    append(Page.objects.get(slug="about"), f"More about us.{markers}")
    append(Comparison.objects.get(language="en"), f"## More notes\n\nMore.{markers}")
    add_contact_blocks(MORE, article)


def add_contact_blocks(count: int, article: Article) -> None:
    for placement in Placement.values:
        for n in range(count):
            block = ContactBlockFactory(placement=placement, heading=f"Call {placement} {n}")
            OpeningHoursFactory(block=block)
            OpeningHoursFactory(block=block, day=3)
    ContactBlockFactory(placement=Placement.ARTICLE_END).articles.set([article])


def test_no_page_costs_more_queries_with_more_content(shipped_content, settings):
    settings.PAGE_CACHE_SECONDS = 0
    # The shipped content has some of everything but a contact block patients see.
    add_contact_blocks(1, Article.objects.get(slug=ARTICLE))
    before = count_queries()
    add_more_of_everything()
    after = count_queries()
    assert after == before
