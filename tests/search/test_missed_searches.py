"""The staff report of searches that found nothing or little: counts only, nothing about who
searched; words shown only from three searches; counts kept 90 days; each row leads to a
proposed synonym or best bet, which waits for review as any other."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from ketamine_info.glossary.models import Term
from ketamine_info.search import report
from ketamine_info.search.models import MissedSearch
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/search/missedsearch/"
VISITOR = {
    "REMOTE_ADDR": "203.0.113.77",
    "HTTP_X_FORWARDED_FOR": "198.51.100.23",
    "HTTP_USER_AGENT": "Mozilla/5.0 (PrivacyProbe 9.9)",
    "HTTP_COOKIE": "trackme=cookie-value-xyz",
}


@pytest.fixture
def pages(db):
    ArticleFactory(title="How ketamine is given", body="## IV\n\nA slow drip into a vein.")
    ArticleFactory(title="Side effects", body="## Nausea\n\nNausea is common after a drip.")
    ArticleFactory(title="What to expect", body="## The day\n\nNausea may follow the drip.")
    Term.objects.create(slug="infusion", term="Infusion", body="A drip into a vein.")


def searched(client, words, times=1):
    # The same words as people type them: each a different address, so each page is built
    # (a page the page cache answers again is not counted again).
    for n in range(times):
        typed = [words, words.upper(), f"{words}!", f" {words.title()}?"][n % 4]
        response = client.get("/search/", {"q": typed}, **VISITOR)
        assert response.status_code == 200
    return response


def test_a_search_that_found_nothing_is_counted_without_the_visitor(client, pages):
    searched(client, "Zorblax pill", times=2)
    row = MissedSearch.objects.get()
    assert (row.words, row.searches, row.found_nothing) == ("zorblax pill", 2, 2)
    fields = {f.name for f in MissedSearch._meta.get_fields()}
    assert fields == {"id", "words", "day", "searches", "found_nothing"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM search_missedsearch")
        stored = " ".join(str(value) for value in cursor.fetchall()[0])
    for value in ("203.0.113", "198.51.100", "PrivacyProbe", "cookie-value", "trackme"):
        assert value not in stored


def test_only_searches_that_found_little_are_counted(client, pages):
    searched(client, "drip")  # four pages
    searched(client, "i want to die")  # crisis words: the crisis box, not a report row
    assert not MissedSearch.objects.exists()
    searched(client, "vein")  # two pages: little
    assert MissedSearch.objects.get().found_nothing == 0


def test_words_show_only_from_three_searches(client, staff_client, pages):
    searched(client, "zorblax", times=2)
    searched(client, "quixotic wombat", times=3)
    html = staff_client.get(REPORT).content.decode()
    assert "quixotic wombat" in html
    assert "zorblax" not in html
    searched(client, "zorblax?")
    html = staff_client.get(REPORT).content.decode()
    assert "zorblax" in html
    # Each row leads to a proposal, with the words filled in.
    assert "/admin/search/synonym/add/?variants=zorblax" in html
    form = staff_client.get("/admin/search/bestbet/add/?query=zorblax").content.decode()
    assert 'value="zorblax"' in form


def test_counts_are_kept_90_days(pages):
    today = timezone.localdate()
    old = MissedSearch.objects.create(words="old", day=today - dt.timedelta(days=91), searches=9)
    kept = MissedSearch.objects.create(words="kept", day=today - dt.timedelta(days=89), searches=9)
    assert [r["words"] for r in report.rows()] == ["kept"]
    report.record(type("R", (), {"query": "new words", "hits": [], "crisis": False})())
    assert set(MissedSearch.objects.values_list("words", flat=True)) == {"kept", "new words"}
    assert not MissedSearch.objects.filter(pk=old.pk).exists()
    assert MissedSearch.objects.filter(pk=kept.pk).exists()


def test_the_report_is_for_staff_who_may_see_it(client, editor_client, pages):
    searched(client, "zorblax", times=3)
    assert client.get(REPORT).status_code == 302  # to the login page
    response = editor_client.get(REPORT)
    assert response.status_code == 200
    assert "zorblax" in response.content.decode()
    # Nobody can add, change or delete a count by hand.
    assert editor_client.get(REPORT + "add/").status_code in (403, 404, 302)


def test_counting_leaves_every_cached_page_alone(client, pages, django_assert_num_queries):
    # A count is not content: it must not make the cached pages stale (nor BAN the proxies).
    client.get("/glossary/")
    searched(client, "zorblax")
    searched(client, "wuggle")
    with django_assert_num_queries(0):
        client.get("/glossary/")
