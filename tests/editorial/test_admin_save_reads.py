"""One admin save of an article reads its row once.

The stale-save check, the status check, the pending change's diff and the form's notices all
work from the row the admin read for the request (``EditorialAdmin.stored``), instead of each
reading it again (eleven reads per save before). Counted as staff use the admin: a Content
editor and a Clinical reviewer, past the two-step login, posting the change form.
"""

import re

import pytest
from django.db import connection

from ketamine_info.articles.models import Article
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory
from tests.factories import article_form_data as form

pytestmark = pytest.mark.django_db

# A read of the whole row or of some of its columns, by primary key and nothing else; not the
# slug's uniqueness check (``slug = … AND NOT id = …``) or the search index's "is it public?".
ROW_READ = re.compile(
    r'^SELECT .+ FROM "articles_article" WHERE "articles_article"\."id" = %s'
    r"( ORDER BY [^()]+)?( LIMIT \d+)?$"
)


class RowReads:
    """Counts the reads of one article's row by its primary key while installed."""

    def __init__(self, pk):
        self.pk = pk
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if ROW_READ.match(sql) and list(params or ()) == [self.pk]:
            self.count += 1
        return execute(sql, params, many, context)


def row_reads(client, method, article, data=None):
    url = f"/admin/articles/article/{article.pk}/change/"
    reads = RowReads(article.pk)
    with connection.execute_wrapper(reads):
        response = client.post(url, data) if method == "post" else client.get(url)
    return response, reads.count


def test_the_pattern_counts_the_reads_the_admin_used_to_make():
    article = ArticleFactory()
    reads = RowReads(article.pk)
    with connection.execute_wrapper(reads):
        Article._base_manager.filter(pk=article.pk).first()
        Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
        Article.objects.get(pk=article.pk)
        Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists()
        Article.objects.published().filter(pk=article.pk).exists()
    assert reads.count == 3


def test_an_editors_change_to_a_live_article_reads_the_row_once(editor_client):
    article = ArticleFactory(status=Status.PUBLISHED, body="Reviewed text.")
    response, reads = row_reads(
        editor_client, "post", article, form(article, body="Unreviewed text.")
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "Reviewed text."
    assert PendingChange.objects.get().values == {"body": "Unreviewed text."}
    assert reads == 1


def test_a_reviewers_save_of_a_draft_reads_the_row_once_in_the_admin(reviewer_client):
    article = ArticleFactory(status=Status.DRAFT, body="Old text.")
    response, reads = row_reads(
        reviewer_client, "post", article, form(article, body="New text.", status="review")
    )
    assert response.status_code == 302
    saved = Article.objects.get()
    assert (saved.body, saved.status, saved.version) == ("New text.", Status.REVIEW, 2)
    # The second read is Article.save's own: the stored slug, to leave a redirect behind
    # when the address changes (the articles app's rule, not the admin's).
    assert reads == 2


def test_a_reviewer_taking_a_page_down_reads_the_row_once_in_the_admin(reviewer_client):
    article = ArticleFactory(status=Status.PUBLISHED)
    response, reads = row_reads(
        reviewer_client, "post", article, form(article, status="unpublished")
    )
    assert response.status_code == 302
    assert Article.objects.get().status == Status.UNPUBLISHED
    assert reads == 2  # as above: the second is Article.save's slug


def test_a_refused_save_reads_the_row_once_and_shows_the_form_as_before(editor_client):
    article = ArticleFactory(status=Status.PUBLISHED)
    response, reads = row_reads(editor_client, "post", article, form(article, status="draft"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only a clinical reviewer can take down a page." in html
    assert 'id="live-notice"' in html  # the notices come from the row as stored
    assert reads == 1


def test_opening_the_change_form_reads_the_row_once(editor_client):
    article = ArticleFactory(status=Status.PUBLISHED, body="Reviewed text.")
    editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        form(article, slug="renamed", body="Waiting text."),
    )
    response, reads = row_reads(editor_client, "get", article)
    html = response.content.decode()
    assert "Waiting text." in html and 'id="open-change"' in html
    # The form shows the change waiting; where the page is live comes from the stored row.
    notice = html[html.index('id="live-notice"') : html.index("</div>", html.index("live-notice"))]
    assert f'href="{article.get_absolute_url()}"' in notice and "renamed" not in notice
    assert reads == 1


def test_a_change_form_address_that_is_not_a_number_is_not_found(editor_client):
    editor_client.raise_request_exception = False
    response = editor_client.get("/admin/articles/article/not-a-number/change/")
    assert response.status_code == 302  # the admin's "does not exist" answer, not a 500
    assert response["Location"] == "/admin/"
