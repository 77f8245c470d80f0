"""Staff preview drafts exactly as patients will see them, at addresses nobody else can open."""

import pytest

from ketamine_info.faqs.models import Question
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_staff_preview_a_draft_article_as_patients_will_see_it(editor_client, client):
    ArticleFactory(position=1, title="Published one")
    draft = ArticleFactory(status=Status.DRAFT, slug="draft", title="Draft page", position=2)
    response = editor_client.get("/preview/learn/draft/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Draft page</h1>" in html
    assert "Preview — not public." in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert f"/admin/articles/article/{draft.pk}/change/" in html
    assert 'rel="prev" href="/learn/' in html  # in its place among the published articles
    assert client.get("/learn/draft/").status_code == 404


def test_preview_of_a_draft_faq_answer_shows_the_faq_page_with_it(editor_client):
    Question.objects.create(
        slug="draft-q", question="A draft question?", topic="about", status="review", body="Yes."
    )
    html = editor_client.get("/preview/faq/draft-q/").content.decode()
    assert 'id="draft-q"' in html and "A draft question?" in html
    assert "Preview — not public." in html
    assert '<meta name="robots" content="noindex">' in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    ArticleFactory(status=Status.DRAFT, slug="draft")
    response = client.get("/preview/learn/draft/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/preview/learn/draft/")


def test_staff_without_the_change_permission_get_404(client, django_user_model):
    ArticleFactory(status=Status.DRAFT, slug="draft")
    user = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(user)
    assert client.get("/preview/learn/draft/").status_code == 404


def test_previews_are_not_in_the_sitemap_and_robots_disallows_them(client):
    ArticleFactory(status=Status.DRAFT, slug="draft")
    assert "preview" not in client.get("/sitemap.xml").content.decode()
    assert "Disallow: /preview/" in client.get("/robots.txt").content.decode()


def test_the_change_form_links_to_the_preview(editor_client):
    article = ArticleFactory(status=Status.DRAFT, slug="draft")
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'href="/preview/learn/draft/"' in html
    assert "viewsitelink" in html and f'href="{article.get_absolute_url()}"' not in html
    question = Question.objects.create(slug="q", question="Q?", topic="about", body="A.")
    html = editor_client.get(f"/admin/faqs/question/{question.pk}/change/").content.decode()
    assert 'href="/preview/faq/q/#q"' in html


def test_public_pages_still_have_no_javascript(client):
    article = ArticleFactory()
    for path in ["/", article.get_absolute_url(), "/faq/"]:
        html = client.get(path).content.decode()
        assert "<script>" not in html and "<script src" not in html, path
