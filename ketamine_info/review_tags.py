from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _time(value) -> SafeString:
    # The active language's own date order (DATE_FORMAT): "December 6, 2026", "6 de diciembre
    # de 2026".
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), date_format(value))


@register.simple_tag
def review_stamp(item) -> SafeString:
    """``{% review_stamp item %}``: who reviewed the page and when, or that no clinician has yet.

    It ends in a newline, as the template it replaced did."""
    if item.review_is_current:
        reviewer = item.reviewer_name
        reviewed = _time(item.last_reviewed)
        if reviewer:
            # Translators: the date is a whole <time> element; the reviewer is a person's name.
            text = _("Page last reviewed: {date} by {reviewer}")
            line = format_html(text, date=reviewed, reviewer=reviewer)
        else:
            line = format_html(_("Page last reviewed: {date}"), date=reviewed)
        if item.next_review_due:
            line = format_html(
                "{} · {}",
                line,
                format_html(_("Next review due: {date}"), date=_time(item.next_review_due)),
            )
        return format_html('<p class="meta review-stamp">{}</p>\n', line)
    line = _("This page has not yet been reviewed by a clinician.")
    if item.last_updated:
        line = format_html(
            "{} {}", line, format_html(_("Last updated: {date}"), date=_time(item.last_updated))
        )
    return format_html('<p class="meta review-stamp">{}</p>\n', line)


@register.simple_tag
def translation_status(item) -> SafeString:
    """``{% translation_status item %}``: on a translation whose English has changed in substance
    since it was made, a plain line that says so, with the day and a link to the English."""
    if not getattr(item, "out_of_date", False):
        return SafeString("")
    english = item.translation_of
    updated = item.english_updated_on()
    return format_html(
        '<p class="meta translation-status">{} <a href="{}" hreflang="en">{}</a></p>\n',
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
