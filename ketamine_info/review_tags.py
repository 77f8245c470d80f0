from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _day(value) -> str:
    """``value|date:"F j, Y"`` without the date filter's format parsing (30 µs a call)."""
    return f"{MONTHS[value.month]} {value.day}, {value.year:04d}"


def _time(value) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), _day(value))


@register.simple_tag
def review_stamp(item) -> SafeString:
    """``{% review_stamp item %}``: who reviewed the page and when, or that no clinician has yet.

    A tag rather than an included template: the FAQ shows one per answer, and an include with
    its date filters cost about as much as the rest of the answer (issue 17: cheap misses). It
    ends in a newline, as the template it replaced did."""
    if item.review_is_current:
        reviewer = item.reviewer_name
        return format_html(
            '<p class="meta review-stamp">Page last reviewed: {}{}{}</p>\n',
            _time(item.last_reviewed),
            format_html(" by {}", reviewer) if reviewer else "",
            format_html(" · Next review due: {}", _time(item.next_review_due))
            if item.next_review_due
            else "",
        )
    return format_html(
        '<p class="meta review-stamp">This page has not yet been reviewed by a clinician.{}</p>\n',
        format_html(" Last updated: {}", _time(item.last_updated)) if item.last_updated else "",
    )
