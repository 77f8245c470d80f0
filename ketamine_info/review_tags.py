from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _time(value) -> SafeString:
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "F j, Y")
    )


@register.simple_tag
def review_stamp(item) -> SafeString:
    """``{% review_stamp item %}``: who reviewed the page and when, or that no clinician has yet.

    It ends in a newline, as the template it replaced did."""
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


@register.simple_tag
def translation_status(item) -> SafeString:
    """``{% translation_status item %}``: on a translation whose English has changed in substance
    since it was made, a plain line that says so, with the day and a link to the English."""
    if not getattr(item, "out_of_date", False):
        return SafeString("")
    english = item.translation_of
    updated = item.english_updated_on()
    return format_html(
        '<p class="meta translation-status">{} <a href="{}" hreflang="en" lang="en">{}</a></p>\n',
        format_html(
            _(
                "The English version of this page was updated on {date}. This translation may "
                "not include those changes yet."
            ),
            date=_time(updated),
        )
        if updated
        else _(
            "The English version of this page was updated. This translation may not include "
            "those changes yet."
        ),
        english.get_absolute_url(),
        _("Read the English version"),
    )
