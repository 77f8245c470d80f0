"""What patients could not find: a count per search that found nothing or little, for staff.

Privacy first: the words and a daily count, nothing about who searched. A search's words are
shown to staff only once ``SHOWN_FROM`` searches used them (a rare search could name a person
or a condition someone typed about themselves); rows are kept ``KEPT_DAYS`` days. Searches in
crisis words are not counted: what they need is the crisis box, not a new page.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from .models import MissedSearch
from .query import phrase_key

SHOWN_FROM = 3
KEPT_DAYS = 90
FEW = 3  # fewer pages than this is "little"


def found_little(results) -> bool:
    return (
        bool(results.query) and not results.crisis and (len(results.hits) < FEW or results.partial)
    )


def record(results, *, today: dt.date | None = None) -> None:
    """Count one search that found nothing or little; forget counts older than KEPT_DAYS.

    Written without model signals (``update``, ``bulk_create``, a plain DELETE): a count is
    not content, and a saved model would make every cached page stale (``page_cache``).
    """
    words = phrase_key(results.query)[:200]
    if not words:
        return
    today = today or timezone.localdate()
    nothing = int(not results.hits)
    todays = MissedSearch.objects.filter(words=words, day=today)
    counts = {"searches": F("searches") + 1, "found_nothing": F("found_nothing") + nothing}
    if todays.update(**counts):
        return
    # The first today: a row at zero (or another request's, made a moment ago), then count.
    MissedSearch.objects.bulk_create([MissedSearch(words=words, day=today)], ignore_conflicts=True)
    todays.update(**counts)
    forget_old(today)


def forget_old(today: dt.date | None = None) -> int:
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=KEPT_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {MissedSearch._meta.db_table} WHERE day < %s",  # noqa: S608
            [cutoff],
        )
        return cursor.rowcount


def rows(today: dt.date | None = None) -> list[dict]:
    """The report: each search's words used at least SHOWN_FROM times in the kept days, most
    searched first."""
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=KEPT_DAYS)
    return list(
        MissedSearch.objects.filter(day__gte=cutoff)
        .values("words")
        .annotate(total=Sum("searches"), nothing=Sum("found_nothing"))
        .filter(total__gte=SHOWN_FROM)
        .order_by("-total", "words")
    )
