"""Two staff saving the same page at the same moment, in two threads with two database
connections (a SQLite file, or PostgreSQL): exactly one save wins, the other is refused with
the person's text still in the form. Nobody gets the patients' 503 page.

Through the admin, SQLite's immediate transactions make the second save wait for the first
before its form is checked, so there the form's check refuses it; only PostgreSQL lets both
pass the form. The conditional UPDATE that refuses the second when both have passed every check
is raced on both databases without the admin, by two saves that overlap in time.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from ketamine_info.articles.models import Article
from ketamine_info.editorial.admin import VersionedForm
from ketamine_info.publishing import Status
from ketamine_info.versioning import StaleSave
from tests.factories import ArticleFactory

# Threads need committed rows and their own connections: no test transaction around them.
pytestmark = pytest.mark.django_db(transaction=True)


def article_data(article, opened_version, body):
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": body,
        "status": article.status,
        "opened_version": opened_version,
    }


def staff_clients(django_user_model, names):
    clients = []
    for name in names:
        user = django_user_model.objects.create_superuser(name, f"{name}@example.org", "pw")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def post_at_once(posts, wait_in_clean: float):
    """Runs each ``(client, url, data)`` POST in its own thread; each waits in the form's
    clean() until all have passed it (or ``wait_in_clean`` seconds: on SQLite, immediate
    transactions make the second wait for the first, so they never meet there)."""
    barrier = threading.Barrier(len(posts))
    met = []
    original_clean = VersionedForm.clean

    def clean(form):
        cleaned = original_clean(form)
        try:
            barrier.wait(timeout=wait_in_clean)
            met.append(True)
        except threading.BrokenBarrierError:
            pass
        return cleaned

    results = [None] * len(posts)

    def run(index, client, url, data):
        try:
            results[index] = client.post(url, data)
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    VersionedForm.clean = clean
    try:
        threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        VersionedForm.clean = original_clean
    return results, bool(met)


@pytest.mark.parametrize("attempt", range(3))
def test_of_two_simultaneous_saves_one_wins_and_the_other_keeps_its_text(
    django_user_model, attempt
):
    alex, blair = staff_clients(django_user_model, ["alex", "blair"])
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    opened = article.version

    results, met = post_at_once(
        [
            (alex, url, article_data(article, opened, "Alex's text.")),
            (blair, url, article_data(article, opened, "Blair's careful text.")),
        ],
        wait_in_clean=1.0,
    )
    for result in results:
        assert not isinstance(result, Exception), result
    assert sorted(r.status_code for r in results) == [200, 302], [r.status_code for r in results]
    if connection.vendor == "postgresql":
        assert met  # both passed the form's check: only the conditional UPDATE told them apart
    saved = Article.objects.get()
    assert saved.version == opened + 1
    _winner, loser = results if results[0].status_code == 302 else results[::-1]
    html = loser.content.decode()
    assert "since you opened it. Your text is still below" in html
    theirs, mine = (
        ("Alex's text.", "Blair&#x27;s careful text.")
        if loser is results[1]
        else ("Blair's careful text.", "Alex&#x27;s text.")
    )
    assert saved.body == theirs
    assert mine in html  # nothing the refused person typed is lost
    assert Article.history.filter(id=article.pk).count() == 2  # created, then one save


def test_the_database_refuses_the_second_of_two_overlapping_saves():
    """Two connections hold the article at the same version; the second saves while the
    first's save is written but not yet committed. It waits for the first (SQLite's write
    lock, PostgreSQL's row lock), then finds the version taken and is refused: StaleSave, with
    nothing of it stored. Without the conditional UPDATE it would overwrite the first."""
    article = ArticleFactory(status=Status.DRAFT, body="Original text.")
    opened = article.version
    first_wrote, second_started = threading.Event(), threading.Event()
    times, outcomes, errors = {}, {}, []

    def first():
        try:
            mine = Article.objects.get(pk=article.pk)
            mine.body, mine.opened_version = "First text.", opened
            with transaction.atomic():
                mine.save()
                first_wrote.set()
                assert second_started.wait(timeout=30)
                time.sleep(0.5)  # the second save is now waiting on this transaction
                times["first_commits"] = time.monotonic()
            outcomes["first"] = "saved"
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            mine = Article.objects.get(pk=article.pk)  # read at the same version
            mine.body, mine.opened_version = "Second text.", opened
            assert first_wrote.wait(timeout=30)
            second_started.set()
            try:
                mine.save()
                outcomes["second"] = "saved"
            except StaleSave:
                outcomes["second"] = "refused"
            times["second_answered"] = time.monotonic()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert outcomes == {"first": "saved", "second": "refused"}
    assert times["second_answered"] > times["first_commits"]  # it waited: the saves overlapped
    saved = Article.objects.get()
    assert (saved.body, saved.version) == ("First text.", opened + 1)
    assert Article.history.filter(id=article.pk).count() == 2  # created, then one save


def test_a_save_that_waits_for_the_lock_is_not_a_503(django_user_model):
    """On SQLite a writer holding the lock makes the next save wait, not fail: two staff
    saving different pages at once both succeed."""
    alex, blair = staff_clients(django_user_model, ["alex", "blair"])
    first, second = ArticleFactory(status=Status.DRAFT), ArticleFactory(status=Status.DRAFT)
    results, _ = post_at_once(
        [
            (
                client,
                f"/admin/articles/article/{a.pk}/change/",
                article_data(a, a.version, f"New text for {a.slug}."),
            )
            for client, a in ((alex, first), (blair, second))
        ],
        wait_in_clean=1.0,
    )
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    for article in (first, second):
        assert Article.objects.get(pk=article.pk).body == f"New text for {article.slug}."


def test_a_save_during_load_content_force_waits_and_succeeds(
    django_user_model, content_dir, monkeypatch
):
    """`load_content --force` holds the write lock for its whole transaction; a staff save in
    the meantime waits for it, then saves (it used to get the 503 page)."""
    import time
    from io import StringIO

    from django.core.management import call_command

    from ketamine_info.contentsync import sync

    call_command("load_content", str(content_dir), stdout=StringIO())
    (alex,) = staff_clients(django_user_model, ["alex"])
    article = Article.objects.get(slug="draft-article")
    path = content_dir / "articles" / "first-article.md"
    path.write_text(path.read_text().replace("It may act fast.", "It may act quickly."))

    loading = threading.Event()
    original_apply = sync._apply

    def slow_apply(*args, **kwargs):
        original_apply(*args, **kwargs)
        loading.set()
        time.sleep(1.5)  # a big forced load, still inside its transaction

    monkeypatch.setattr(sync, "_apply", slow_apply)
    errors = []

    def run_load():
        try:
            call_command("load_content", str(content_dir), "--force", stdout=StringIO())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    loader = threading.Thread(target=run_load)
    loader.start()
    assert loading.wait(timeout=30)
    alex.raise_request_exception = False
    response = alex.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_data(article, article.version, "Saved while a load ran."),
    )
    loader.join(timeout=60)
    assert not errors
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body == "Saved while a load ran."
    assert "quickly" in Article.objects.get(slug="first-article").body
