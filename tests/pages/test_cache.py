"""The page cache: no query to serve a page again, and every edit of anything a page shows
reaches the next request. (What building a page costs: tests/pages/test_query_counts.py.)"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketamine_info.articles.models import Article
from ketamine_info.caching import page_cache
from ketamine_info.citations.models import Source
from ketamine_info.clinics.models import Placement
from ketamine_info.editorial import review
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ContactBlockFactory,
    OpeningHoursFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/faq/",
    "/glossary/",
    "/sources/",
    "/search/?q=nausea",
    "/questions-to-ask/",
    "/nope/",
    "/learn/nope/",
]


@pytest.fixture(autouse=True)
def json_support_known():
    # Django asks SQLite once per connection whether it has JSON functions; that question is
    # not the page's, so it is asked before any count starts.
    assert connection.features.supports_json_field


@pytest.fixture
def reviewed_site(shipped_content, django_user_model):
    """The real content, with reviewers who have logins (their names come from another table),
    and a contact block at every placement, one of them for a single article."""
    reviewer = django_user_model.objects.create_user(
        "dana", first_name="Dana", last_name="Lee", is_staff=True
    )
    for model in (Article, Question):
        for item in model.objects.published():
            item.reviewed_by, item.reviewed_by_name = reviewer, ""
            item.last_reviewed = dt.date(2026, 1, 5)
            item.reviewed_digest = item.current_text_digest()  # the stamp is for this text
            item.save()
    first = Article.objects.published().in_language("en").first()
    for placement in Placement.values:
        block = ContactBlockFactory(placement=placement, heading=f"Call us ({placement})")
        OpeningHoursFactory(block=block)
    ContactBlockFactory(placement=Placement.ARTICLE_END, heading="Only here").articles.set([first])
    return first


def all_public_pages():
    return [
        *PUBLIC_PAGES,
        *(article.get_absolute_url() for article in Article.objects.published()),
        *(source.get_absolute_url() for source in Source.objects.all()),
    ]


def test_every_page_is_built_once_then_served_without_a_query(
    reviewed_site, django_assert_num_queries
):
    for path in all_public_pages():
        page_cache.bump_generation()  # a cold cache for this page
        with CaptureQueriesContext(connection) as building:
            built = Client().get(path)
        assert built.status_code in (200, 404), path
        assert len(building) > 0, path
        # Pages are stored; a 404 is built each time, as Django's cache middleware does.
        with CaptureQueriesContext(connection) as serving:
            served = Client().get(path)
        if built.status_code == 200:
            assert len(serving) == 0, path
        else:  # built again, as Django's cache middleware does
            assert 0 < len(serving) <= len(building), path
        assert served.status_code == built.status_code
        assert served.content == built.content, path


def test_the_article_page_shows_everything(reviewed_site):
    page_cache.bump_generation()
    html = Client().get(reviewed_site.get_absolute_url()).content.decode()
    assert "by Dana Lee" in html
    assert "Only here" in html and "Call us (article_end)" in html
    assert "Call us (footer)" in html
    assert 'rel="next"' in html
    assert 'class="related-questions"' in html
    assert 'class="reference-list"' in html


def test_a_cached_page_is_the_same_page(reviewed_site):
    path = reviewed_site.get_absolute_url()
    first, second = Client().get(path), Client().get(path)
    assert first.content == second.content
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "ETag"):
        assert first[header] == second[header], header


def test_head_is_served_from_the_same_entry_as_get(client, django_assert_num_queries):
    ArticleFactory(slug="page")
    get = client.get("/learn/page/")
    with django_assert_num_queries(0):
        head = client.head("/learn/page/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


def test_a_browser_that_has_the_page_gets_304_without_a_query(client, django_assert_num_queries):
    ArticleFactory(slug="page")
    etag = client.get("/learn/page/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/learn/page/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_query_strings_a_page_reads_are_part_of_the_key(client, django_assert_num_queries):
    ArticleFactory(slug="page", title="Findable", body="Nausea can happen.")
    assert "Findable" in client.get("/search/?q=nausea").content.decode()
    with django_assert_num_queries(0):
        assert "Findable" in client.get("/search/?q=nausea").content.decode()
    with CaptureQueriesContext(connection) as built:
        client.get("/search/?q=happen")  # another search: built
    assert len(built) > 0


def test_query_strings_a_page_does_not_read_share_one_entry(client, django_assert_num_queries):
    ArticleFactory(slug="page", title="Before")
    client.get("/learn/page/?utm_source=news")
    Article.objects.filter(slug="page").update(title="After")  # no signal: stays cached
    for query in ("", "?utm_source=other", "?a=1&b=2", "?q=x", "?" + "z" * 500):
        with django_assert_num_queries(0):
            response = client.get("/learn/page/" + query)
        assert "Before" in response.content.decode(), query
    # The search page keeps q and drops the rest, in any order.
    client.get("/search/?q=before&utm_medium=mail")
    with django_assert_num_queries(0):
        client.get("/search/?utm_campaign=x&q=before")


def test_only_a_valid_staff_session_skips_the_cache(
    staff_client, django_user_model, django_assert_num_queries
):
    # Saving a user empties the cache (a reviewer's name shows on pages): made first.
    visitor = django_user_model.objects.create_user("visitor", password="a-long-test-password")
    not_staff = Client()
    not_staff.force_login(visitor)
    article = ArticleFactory(slug="page", title="Before")
    Client().get("/learn/page/")
    Article.objects.filter(pk=article.pk).update(title="After")
    assert "Before" in Client().get("/learn/page/").content.decode()
    # A staff session: the request is built afresh, and never stored for anyone else.
    assert "After" in staff_client.get("/learn/page/").content.decode()
    assert "After" in staff_client.get(f"/preview/learn/{article.slug}/").content.decode()
    assert "Before" in Client().get("/learn/page/").content.decode()
    # Cookies that are not a staff session change nothing: served from the cache.
    junk = {
        "csrftoken": "x" * 32,
        "sessionid": "0" * 32,  # looks like a session key; there is no such session
        "other": "1",
    }
    for name, value in junk.items():
        anonymous = Client()
        anonymous.cookies[name] = value
        with django_assert_num_queries(0):  # a forged session key costs no query either
            assert "Before" in anonymous.get("/learn/page/").content.decode(), name
    assert "Before" in not_staff.get("/learn/page/").content.decode()
    anonymous = Client()
    anonymous.cookies["sessionid"] = "<script>" * 20
    assert "Before" in anonymous.get("/learn/page/").content.decode()
    # A staff member who logged out: their old key is no longer marked.
    old_key = staff_client.cookies["sessionid"].value
    staff_client.post("/admin/logout/")
    anonymous = Client()
    anonymous.cookies["sessionid"] = old_key
    with django_assert_num_queries(0):
        assert "Before" in anonymous.get("/learn/page/").content.decode()


def test_a_staff_session_that_ended_gets_the_cached_page(staff_client):
    ArticleFactory(slug="page", title="Before")
    Client().get("/learn/page/")
    Article.objects.filter(slug="page").update(title="After")
    staff_client.get("/learn/page/")
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()  # logged out elsewhere, or expired
    assert "Before" in staff_client.get("/learn/page/").content.decode()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_no_cookie_built_or_served(client, path):
    for _ in range(2):
        response = client.get(path)
        assert not response.cookies, path
        assert "Set-Cookie" not in response


def test_responses_that_are_not_public_pages_are_not_stored(rf):
    from django.http import HttpResponse, HttpResponseServerError

    def stored(response, path="/") -> bool:
        built = []

        def view(request):
            built.append(request)
            return response

        middleware = page_cache.PageCacheMiddleware(view)
        for _ in range(2):
            middleware(rf.get(path))
        return len(built) == 1

    assert stored(HttpResponse("ok"))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("x", "1")
    private = HttpResponse("ok", headers={"Cache-Control": "private, no-store"})
    varies = HttpResponse("ok", headers={"Vary": "Cookie"})
    for response in (with_cookie, private, varies, HttpResponseServerError("boom")):
        assert not stored(response)
        assert "s-maxage" not in response.get("Cache-Control", "")
    for path in ("/admin/", "/admin/login/", "/preview/learn/x/", "/healthz"):
        assert not stored(HttpResponse("ok"), path)


def test_the_page_cache_can_be_switched_off(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    # The home page's list, the footer's contact blocks, the questions page link: each time.
    with django_assert_num_queries(3):
        client.get("/")


# --- Invalidation: every model a page shows -----------------------------------------------


@pytest.fixture
def site(db, django_user_model):
    reviewer = django_user_model.objects.create_user("rev", first_name="Rita", is_staff=True)
    citation = CitationFactory(
        claim__key="fast", claim__statement="It can work fast.", source__title="Trial One"
    )
    article = ArticleFactory(
        slug="page",
        title="The page",
        topic="about",
        body="It works fast.[@fast]",
        reviewed_by=reviewer,
        last_reviewed=dt.date(2026, 1, 5),
    )
    article.reviewed_digest = article.current_text_digest()  # the stamp is for this text
    article.save()
    question = Question.objects.create(
        slug="q", question="Is it quick?", topic="about", status="published", body="Yes.[@fast]"
    )
    term = Term.objects.create(slug="nmda", term="NMDA receptor", body="A receptor.")
    block = ContactBlockFactory(placement=Placement.FOOTER, heading="Reach the clinic")
    hours = OpeningHoursFactory(block=block, closes=dt.time(17))
    return {
        "reviewer": reviewer,
        "citation": citation,
        "article": article,
        "question": question,
        "term": term,
        "block": block,
        "hours": hours,
    }


def publish(reviewer, obj, **values):
    """A change to live content, proposed and published by a clinical reviewer."""
    change = review.propose(type(obj), values, live=obj, author=reviewer)
    review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")


# Each: what to publish, the page that shows it, and the text before and after.
EDITS = {
    "article": (
        lambda s, r: publish(r, s["article"], title="Renamed"),
        "/learn/page/",
        "The page",
        "Renamed",
    ),
    "article on home": (
        lambda s, r: publish(r, s["article"], summary="New summary."),
        "/",
        "A short",
        "New summary.",
    ),
    "article unpublished": (
        lambda s, r: s["article"].unpublish(r),
        "/learn/page/",
        "<h1>The page",
        "could not find",
    ),
    "article moved": (
        lambda s, r: publish(r, s["article"], slug="moved"),
        "/learn/page/",
        "<h1>The page",
        "",
    ),
    "question": (
        lambda s, r: publish(r, s["question"], question="Is it rapid?"),
        "/faq/",
        "Is it quick?",
        "Is it rapid?",
    ),
    "question on article": (
        lambda s, r: publish(r, s["question"], question="Is it rapid?"),
        "/learn/page/",
        "Is it quick?",
        "Is it rapid?",
    ),
    "question unpublished": (
        lambda s, r: s["question"].unpublish(r),
        "/faq/",
        "Is it quick?",
        "No questions",
    ),
    "glossary term": (
        lambda s, r: publish(r, s["term"], term="NMDA receptors"),
        "/glossary/",
        "NMDA receptor<",
        "NMDA receptors<",
    ),
    "claim": (
        lambda s, r: publish(r, s["citation"].claim, statement="It may work fast."),
        "/learn/page/",
        "It can work fast.",
        "It may work fast.",
    ),
    "source": (
        lambda s, r: publish(r, s["citation"].source, title="Trial Two"),
        "/sources/",
        "Trial One",
        "Trial Two",
    ),
    "source on article": (
        lambda s, r: publish(r, s["citation"].source, title="Trial Two"),
        "/learn/page/",
        "Trial One",
        "Trial Two",
    ),
    "contact block": (
        lambda s, r: publish(r, s["block"], heading="Ring us"),
        "/glossary/",
        "Reach the clinic",
        "Ring us",
    ),
}


@pytest.mark.parametrize("name", EDITS)
def test_a_publish_shows_on_the_next_request(
    site, client, reviewer, name, django_capture_on_commit_callbacks
):
    change, path, before, after = EDITS[name]
    first = client.get(path)
    assert before in first.content.decode()
    with CaptureQueriesContext(connection) as again:
        assert before in client.get(path).content.decode()
    # Served from the cache; a 404 is not stored, so it is built again.
    assert (len(again) == 0) == (first.status_code == 200)
    with django_capture_on_commit_callbacks(execute=True):
        change(site, reviewer)
    response = client.get(path)
    html = response.content.decode()
    assert before not in html or response.status_code == 301
    assert after in html


def test_a_staff_login_does_not_empty_the_cache(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="a-long-test-password")
    before = page_cache.generation()
    client.force_login(user)  # records the login time on the user
    user.refresh_from_db()
    assert user.last_login
    assert page_cache.generation() == before


def test_rerender_markup_empties_the_cache(client, monkeypatch, django_capture_on_commit_callbacks):
    article = ArticleFactory(slug="page", body="Plain words.")
    assert "Plain words." in client.get("/learn/page/").content.decode()
    monkeypatch.setattr(
        Article, "render_body", lambda self, **kwargs: _rendered("<p>New words.</p>")
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rerender_markup", stdout=StringIO())
    assert "New words." in client.get(article.get_absolute_url()).content.decode()


def _rendered(html):
    from ketamine_info.markup import Rendered

    return Rendered(html=html)


def test_migrate_empties_the_cache(django_capture_on_commit_callbacks):
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)
    assert page_cache.generation() != before


def test_no_page_outlives_the_day_a_contact_block_ends(client, monkeypatch):
    today = timezone.localdate()
    ContactBlockFactory(placement=Placement.FOOTER, heading="Open day", show_until=today)
    assert "Open day" in client.get("/").content.decode()
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert "Open day" not in client.get("/").content.decode()


def test_an_evicted_generation_never_comes_back():
    from django.core.cache import cache

    first = page_cache.generation()
    cache.delete(page_cache.GENERATION_KEY)
    page_cache.bump_generation()
    assert page_cache.generation() > first


def test_clear_page_cache_makes_every_page_stale(client):
    ArticleFactory(slug="page", title="Before")
    client.get("/learn/page/")
    Article.objects.filter(slug="page").update(title="After")  # as a restored backup would
    out = StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "emptied" in out.getvalue()
    assert "After" in client.get("/learn/page/").content.decode()
