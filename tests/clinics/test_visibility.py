"""ContactBlock.objects.visible(): placement, article restriction, dates, order."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketamine_info.clinics.models import ContactBlock, Placement, VisibleBlocks
from tests.factories import ArticleFactory, ContactBlockFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)


def visible(placement, **kwargs):
    return [b.name for b in ContactBlock.objects.visible(placement, **kwargs)]


def test_only_the_blocks_of_the_placement_are_shown():
    for placement in Placement.values:
        ContactBlockFactory(name=placement, placement=placement)
    for placement in Placement.values:
        assert visible(placement) == [placement]


def test_inactive_blocks_are_not_shown():
    ContactBlockFactory(name="on", placement=Placement.FOOTER)
    ContactBlockFactory(name="off", placement=Placement.FOOTER, active=False)
    assert visible(Placement.FOOTER) == ["on"]


def test_blocks_are_ordered_by_position_then_name():
    ContactBlockFactory(name="b", position=2, placement=Placement.HOME)
    ContactBlockFactory(name="z", position=1, placement=Placement.HOME)
    ContactBlockFactory(name="a", position=2, placement=Placement.HOME)
    assert visible(Placement.HOME) == ["z", "a", "b"]


@pytest.mark.parametrize(
    ("show_from", "show_until", "shown"),
    [
        (None, None, True),
        (DAY, None, True),  # first day included
        (DAY + dt.timedelta(days=1), None, False),  # not yet
        (None, DAY, True),  # last day included
        (None, DAY - dt.timedelta(days=1), False),  # over
        (DAY - dt.timedelta(days=7), DAY + dt.timedelta(days=7), True),
        (DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=7), False),
    ],
)
def test_blocks_are_shown_between_their_dates(show_from, show_until, shown):
    ContactBlockFactory(
        name="dated", placement=Placement.FOOTER, show_from=show_from, show_until=show_until
    )
    assert visible(Placement.FOOTER, on=DAY) == (["dated"] if shown else [])


def test_the_default_day_is_today_in_the_site_time_zone():
    today = timezone.localdate()
    ContactBlockFactory(name="today", placement=Placement.FOOTER, show_from=today, show_until=today)
    ContactBlockFactory(
        name="tomorrow", placement=Placement.FOOTER, show_from=today + dt.timedelta(days=1)
    )
    assert visible(Placement.FOOTER) == ["today"]


def test_a_block_restricted_to_articles_shows_on_those_articles_only():
    chosen, other = ArticleFactory(), ArticleFactory()
    everywhere = ContactBlockFactory(name="everywhere", position=1)
    restricted = ContactBlockFactory(name="restricted", position=2)
    restricted.articles.set([chosen, ArticleFactory()])
    assert everywhere.articles.count() == 0
    assert visible(Placement.ARTICLE_END, article=chosen) == ["everywhere", "restricted"]
    assert visible(Placement.ARTICLE_END, article=other) == ["everywhere"]
    assert visible(Placement.ARTICLE_END) == ["everywhere"]


def test_hours_cost_no_query_per_block():
    def queries_for_footer_blocks():
        with CaptureQueriesContext(connection) as queries:
            blocks = list(
                ContactBlock.objects.visible(Placement.FOOTER, article=ArticleFactory.build(pk=1))
            )
            hours = [len(b.hours.all()) for b in blocks]
        return len(queries), hours

    block = ContactBlockFactory(placement=Placement.FOOTER, position=0)
    OpeningHoursFactory(block=block)
    few, hours = queries_for_footer_blocks()
    assert hours == [1]
    for n in range(1, 4):
        block = ContactBlockFactory(placement=Placement.FOOTER, position=n)
        OpeningHoursFactory(block=block)
        OpeningHoursFactory(block=block, day=2)
    many, hours = queries_for_footer_blocks()
    assert hours == [1, 2, 2, 2]
    assert many == few


def test_the_same_rows_answer_every_placement_of_a_page(django_assert_num_queries):
    article, other = ArticleFactory(), ArticleFactory()
    ContactBlockFactory(name="footer", placement=Placement.FOOTER)
    ContactBlockFactory(name="end", placement=Placement.ARTICLE_END, position=1)
    ContactBlockFactory(name="here only", placement=Placement.ARTICLE_END, position=2).articles.set(
        [article]
    )
    ContactBlockFactory(name="elsewhere", placement=Placement.ARTICLE_END).articles.set([other])
    home = ContactBlockFactory(name="home", placement=Placement.HOME)
    OpeningHoursFactory(block=home, day=3, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(block=home, day=1, opens=dt.time(13), closes=dt.time(17))
    OpeningHoursFactory(block=home, day=1, opens=dt.time(9), closes=dt.time(12))
    blocks = VisibleBlocks(article=article)
    with django_assert_num_queries(0):
        assert [b.name for b in blocks.at(Placement.ARTICLE_END, article)] == ["end", "here only"]
        assert [b.name for b in blocks.at(Placement.FOOTER)] == ["footer"]
        assert [b.name for b in blocks.at(Placement.FAQ)] == []
        assert [str(h) for h in blocks.at(Placement.HOME)[0].hours.all()] == [
            "Monday 09:00 to 12:00",
            "Monday 13:00 to 17:00",
            "Wednesday 09:00 to 12:00",
        ]
    assert blocks.answers(article) and blocks.answers(None) and not blocks.answers(other)
