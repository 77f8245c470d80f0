"""Scheduled publishing in a real browser: a reviewer schedules a draft from the publish screen
(the form names the time zone), nothing changes before the time, and publish_scheduled run on
a moved clock puts the page live under the reviewer's name."""

import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from ketamine_info.publishing import Status
from ketamine_info.scheduling.models import Schedule
from tests.browser.test_editorial_workflow import person  # noqa: F401 - a fixture
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_at(moment) -> str:
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def test_a_reviewer_schedules_a_page_and_it_goes_live_at_the_time(person, reviewer):  # noqa: F811
    article = ArticleFactory(slug="later", title="Coming later", status=Status.REVIEW)
    when = (dt.datetime.now(ZoneInfo(settings.TIME_ZONE)) + dt.timedelta(days=2)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    rev = person("reviewer")
    rev.goto(f"/admin/articles/article/{article.pk}/change/")
    rev.get_by_role("link", name="Review and publish").first.click()
    rev.get_by_role("link", name="Publish at a date and time…").click()
    expect(rev.locator("#schedule_form")).to_contain_text(settings.TIME_ZONE)
    rev.fill("#id_at_0", when.strftime("%Y-%m-%d"))
    rev.fill("#id_at_1", when.strftime("%H:%M"))
    rev.check("#id_confirm")
    rev.fill("#id_credentials", "Dana Lee, MD")
    rev.click("input[name=_save]")
    expect(rev.locator("#result_list")).to_contain_text("Coming later")
    assert Schedule.objects.get().state == Schedule.State.WAITING

    patient = person()
    assert patient.goto("/learn/later/").status == 404
    assert run_at(when - dt.timedelta(minutes=1)) == ""
    assert "done" in run_at(when + dt.timedelta(seconds=20))
    assert run_at(when + dt.timedelta(minutes=1)) == ""
    patient.goto("/learn/later/")
    expect(patient.locator("h1")).to_contain_text("Coming later")
    expect(patient.locator("header .meta")).to_contain_text("Dana Lee, MD")
