"""Backups restore: the README's two ways of saving the site (export_content to files, and
dumpdata of the whole database) each restore into an empty database with the same pages."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ketamine_info.articles.models import Article, SlugRedirect
from ketamine_info.citations.models import Source
from ketamine_info.clinics.models import Placement
from ketamine_info.faqs.models import Question
from tests.factories import ContactBlockFactory, OpeningHoursFactory

# flush empties every table, which PostgreSQL does not allow inside the transaction an
# ordinary test runs in; these tests get a real empty database instead.
pytestmark = pytest.mark.django_db(transaction=True)


def public_pages() -> dict[str, bytes]:
    paths = ["/", "/faq/", "/glossary/", "/sources/", "/robots.txt", "/nope/"]
    paths += [article.get_absolute_url() for article in Article.objects.published()]
    paths += [source.get_absolute_url() for source in Source.objects.all()]
    pages = {}
    for path in paths:
        response = Client().get(path)
        assert response.status_code in (200, 404), path
        pages[path] = response.content
    return pages


def redirects() -> dict[str, tuple[int, str]]:
    """Every old address of a renamed article, as a browser gets it."""
    answers = {}
    for old in SlugRedirect.objects.values_list("old_slug", flat=True):
        response = Client().get(f"/learn/{old}/")
        answers[old] = (response.status_code, response.get("Location", ""))
    return answers


def empty_database() -> None:
    call_command("flush", "--noinput", verbosity=0)
    assert not Article.objects.exists() and not Source.objects.exists()
    # Not the cached pages of before: flush empties the page cache too.
    assert b"No articles are published yet" in Client().get("/").content


@pytest.fixture
def site(shipped_content, django_user_model):
    """The real content, one answer reviewed by a staff login, a contact block with hours."""
    reviewer = django_user_model.objects.create_user(
        "dana", first_name="Dana", last_name="Lee", is_staff=True
    )
    question = Question.objects.published().first()
    question.reviewed_by, question.reviewed_by_name = reviewer, ""
    question.last_reviewed = dt.date(2026, 3, 1)
    question.save()
    block = ContactBlockFactory(placement=Placement.HOME, heading="Visit us")
    OpeningHoursFactory(block=block)
    # An article renamed twice in the admin: both old addresses lead to it.
    article = Article.objects.published().first()
    for slug in ("renamed-once", "renamed-twice"):
        old_slug, article.slug = article.slug, slug
        article.save()
    assert SlugRedirect.objects.filter(article=article).count() == 2, old_slug


def test_export_content_restores_the_same_pages(site, tmp_path):
    before, before_redirects = public_pages(), redirects()
    assert {status for status, _ in before_redirects.values()} == {301}
    call_command("export_content", str(tmp_path / "backup"), stdout=StringIO())
    empty_database()
    call_command("load_content", str(tmp_path / "backup"), "--publish", stdout=StringIO())
    assert redirects() == before_redirects
    after = public_pages()
    assert after.keys() == before.keys()
    for path in before:
        assert after[path] == before[path], path


def test_dumpdata_restores_the_same_site(site, tmp_path):
    before, before_redirects = public_pages(), redirects()
    before["/sitemap.xml"] = Client().get("/sitemap.xml").content
    backup = tmp_path / "site.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        f"--output={backup}",
        verbosity=0,
    )
    empty_database()
    call_command("loaddata", str(backup), verbosity=0)
    call_command("clear_page_cache", stdout=StringIO())  # as the operator does after a restore
    assert redirects() == before_redirects
    after = public_pages()
    after["/sitemap.xml"] = Client().get("/sitemap.xml").content
    for path in before:
        assert after[path] == before[path], path
    # Staff logins and the revision history come back too.
    assert Question.objects.filter(reviewed_by__username="dana").exists()
    assert Article.history.count() >= Article.objects.count()
