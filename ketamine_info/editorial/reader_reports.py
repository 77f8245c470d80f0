"""What readers reported about a page (the feedback app), for the review dashboard and for
each page's review screens. Looked up by label: the feedback app sits above this one."""

from __future__ import annotations

from django.apps import apps

SHOWN = 20


def _report_model():
    try:
        return apps.get_model("feedback", "Report")
    except LookupError:
        return None


def page_of(obj) -> str:
    """The public address of ``obj``, or '' for something with no page of its own."""
    get_url = getattr(obj, "get_absolute_url", None)
    if obj is None or get_url is None:
        return ""
    try:
        return get_url() or ""
    except Exception:
        return ""


def reports_on(obj, limit: int = SHOWN) -> list:
    Report = _report_model()
    page = page_of(obj)
    if Report is None or not page:
        return []
    return list(Report.objects.filter(page=page).order_by("-created")[:limit])


def open_reports(limit: int = SHOWN) -> tuple[list, int]:
    """The latest reports no one has dealt with yet, and how many there are in all."""
    Report = _report_model()
    if Report is None:
        return [], 0
    waiting = Report.objects.filter(dealt_with=False).order_by("-created")
    return list(waiting[:limit]), waiting.count()
