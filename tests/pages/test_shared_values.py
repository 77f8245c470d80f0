"""Values many pages share (the article list, a topic's questions, today's contact blocks) are
fetched once per content generation (ketamine_info/caching/shared.py), and never
outlive a change, nor show a change no reviewer approved."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from ketamine_info.addresses import address
from ketamine_info.caching import page_cache
from ketamine_info.caching.guard import guard
from ketamine_info.caching.shared import shared, unshared
from ketamine_info.clinics.models import Placement
from ketamine_info.editorial import review_views
from ketamine_info.editorial.models import PendingChange
from ketamine_info.faqs.models import Question
from ketamine_info.publishing import Status
from tests.clinics.test_review import NEW_NUMBER, OLD_NUMBER, change_url, form
from tests.factories import ArticleFactory, ContactBlockFactory

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return ["worked out", self.calls]


def test_a_value_is_worked_out_once_per_content_generation():
    compute = Counter()
    assert shared("test", compute) == shared("test", compute) == ["worked out", 1]
    page_cache.bump_generation()  # what any content change does
    assert shared("test", compute) == ["worked out", 2]
    assert compute.calls == 2


def test_an_older_generations_value_is_never_served():
    from django.core.cache import cache

    compute = Counter()
    shared("test", compute)
    before = page_cache.generation()
    page_cache.bump_generation()
    assert shared("test", compute) == ["worked out", 2]
    # A slower process, which read the generation before the bump, writes its value last.
    cache.set("shared:test", (before, ["from before the change"]))
    assert shared("test", compute) == ["worked out", 3]


def test_with_the_cache_down_every_value_comes_from_the_database(monkeypatch):
    compute = Counter()
    monkeypatch.setattr(guard, "down", True)
    monkeypatch.setattr(guard, "retry_at", float("inf"))
    shared("test", compute)
    shared("test", compute)
    assert compute.calls == 2


def test_unshared_neither_reads_nor_stores():
    compute = Counter()
    shared("test", compute)
    with unshared():
        assert shared("test", compute) == ["worked out", 2]
        assert shared("test", compute) == ["worked out", 3]
    assert shared("test", compute) == ["worked out", 1]  # as stored before


def question(slug: str, text: str) -> Question:
    return Question.objects.create(
        slug=slug, question=text, topic="about", status=Status.PUBLISHED, body="Answer."
    )


def queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path).status_code == 200
    return len(captured)


def test_an_article_built_after_another_queries_only_for_itself(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every page built from the database
    for n, slug in enumerate(("one", "two", "three")):
        ArticleFactory(slug=slug, status=Status.PUBLISHED, position=n, topic="about")
    question("q1", "A question?")
    ContactBlockFactory(placement=Placement.FOOTER)
    first = queries("/learn/one/")
    assert queries("/learn/two/") == 1  # the article itself; the rest was fetched once
    page_cache.bump_generation()
    assert queries("/learn/three/") == first


def test_an_edit_reaches_the_lists_other_pages_show(settings):
    settings.PAGE_CACHE_SECONDS = 0
    ArticleFactory(slug="one", title="First", status=Status.PUBLISHED, position=1)
    second = ArticleFactory(slug="two", title="Second", status=Status.PUBLISHED, position=2)
    asked = question("q1", "Old question?")
    html = Client().get("/learn/one/").content.decode()
    assert "Second" in html and "Old question?" in html
    second.title = "Renamed"
    second.save()
    asked.question = "New question?"
    asked.save()
    html = Client().get("/learn/one/").content.decode()
    assert "Renamed" in html and "Second" not in html
    assert "New question?" in html and "Old question?" not in html


def test_a_reviewers_preview_leaves_nothing_for_patients(
    editor_client, reviewer_client, monkeypatch
):
    """The preview builds the page from the change, then rolls it back and bumps the generation.
    Until that bump, anything it had stored would be current: patients must still get the live
    number, from the database, however long that moment lasts."""
    block = ContactBlockFactory(key="main", placement=Placement.FOOTER, phone="+15035550123")
    public = Client()
    assert OLD_NUMBER in public.get("/").content.decode()
    editor_client.post(change_url(block), form(editor_client, block, phone="(503) 555-0199"))
    change = PendingChange.objects.get()
    monkeypatch.setattr(review_views, "_forget_preview_state", lambda: None)  # that moment
    preview = reviewer_client.get(f"/preview/change/{change.pk}/?path=/")
    assert NEW_NUMBER in preview.content.decode()
    html = public.get("/").content.decode()
    assert OLD_NUMBER in html and NEW_NUMBER not in html


def test_addresses_are_reverse_under_each_script_prefix_and_urlconf(settings):
    assert address("articles:detail", "how") == reverse("articles:detail", args=["how"])
    assert address("faqs:list") == "/faq/"
    set_script_prefix("/info/")
    try:
        assert address("articles:detail", "how") == "/info/learn/how/"
    finally:
        set_script_prefix("/")
    assert address("articles:detail", "how") == "/learn/how/"
