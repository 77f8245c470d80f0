"""Stand-alone pages from content/pages/, such as the printable questions for the doctor."""

import pytest
from django.core.exceptions import ValidationError

from ketamine_info.pages.models import Page
from ketamine_info.search.backends import search

pytestmark = pytest.mark.django_db


def make_page(**kwargs):
    defaults = {
        "slug": "questions-to-ask",
        "title": "Questions to ask your doctor",
        "summary": "A list to print.",
        "body": "## Safety\n\n- Will you check my blood pressure?",
    }
    return Page.objects.create(**{**defaults, **kwargs})


def test_a_page_has_its_own_address_title_and_breadcrumb(client):
    page = make_page()
    response = client.get("/questions-to-ask/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Questions to ask your doctor</h1>" in html
    assert '<link rel="canonical" href="https://ketamine.example.org/questions-to-ask/">' in html
    assert 'aria-current="page">Questions to ask your doctor</a>' in html
    assert "<li>Will you check my blood pressure?</li>" in html
    assert page.get_absolute_url() == "/questions-to-ask/"


def test_the_questions_are_linked_from_home_articles_and_footer_only_if_they_exist(client):
    from ketamine_info.caching import page_cache
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    for path in ["/", article.get_absolute_url()]:
        assert "/questions-to-ask/" not in client.get(path).content.decode()
    make_page()
    page_cache.bump_generation()  # as publishing the new page does
    for path in ["/", article.get_absolute_url(), "/faq/"]:
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a href="/questions-to-ask/">Questions to ask your doctor</a>' in footer
    assert 'class="doctor-questions"' in client.get(article.get_absolute_url()).content.decode()


def test_an_unknown_page_is_not_found(client):
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize("slug", ["faq", "search", "learn", "admin"])
def test_a_page_cannot_take_an_address_the_site_uses(slug):
    with pytest.raises(ValidationError, match="already a part of the site"):
        Page(slug=slug, title="T", summary="S", body="B").full_clean()


def test_pages_are_in_the_sitemap_and_in_search(client):
    make_page()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://ketamine.example.org/questions-to-ask/</loc>" in sitemap
    hits = search("blood pressure").hits
    assert [hit.url for hit in hits] == ["/questions-to-ask/"]


def test_the_shipped_questions_page(client, shipped_content):
    html = client.get("/questions-to-ask/").content.decode()
    assert html.count("?</li>") >= 25
    assert "Print" in html
