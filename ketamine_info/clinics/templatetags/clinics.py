import logging

from django import template
from django.template.loader import render_to_string
from django.utils.dates import WEEKDAYS

from ketamine_info import structured_data
from ketamine_info.caching.page_cache import skip_storing
from ketamine_info.clinics.models import ContactBlock, Day, Placement, VisibleBlocks
from ketamine_info.editorial.previews import proposed_all

logger = logging.getLogger(__name__)
register = template.Library()


def _visible_blocks(request, article) -> VisibleBlocks:
    """Today's blocks for every placement, fetched once per request: a page shows blocks at
    up to three placements, and they all come from the same rows."""
    known = getattr(request, "_contact_blocks", None)
    if known is None or not known.answers(article):
        known = VisibleBlocks(article=article)
        if request is not None:
            # In a reviewer's preview of a change, the blocks as the change would leave them.
            known.blocks = proposed_all(request, known.blocks, ContactBlock)
            request._contact_blocks = known
    return known


@register.simple_tag(takes_context=True)
def contact_blocks(context, placement, article=None):
    """``{% contact_blocks "article_end" article=article %}``: the clinic contact blocks shown
    at ``placement`` today, in order.

    With no block it renders nothing at all. It never breaks a page: any error is logged and
    the page is served without the blocks (the crisis message is not a block, so it stays), and
    not stored in the page cache, so the blocks are back on the next request.
    """
    request = context.get("request")
    try:
        if placement not in Placement.values:
            logger.error("{%% contact_blocks %%}: unknown placement %r", placement)
            return ""
        blocks = _visible_blocks(request, article).at(placement, article)
        if not blocks:
            return ""
        return render_to_string(
            "clinics/contact_blocks.html",
            {
                "placement": placement,
                "blocks": [
                    (block, structured_data.script(structured_data.medical_clinic(block)))
                    for block in blocks
                ],
            },
        )
    except Exception:
        logger.exception("{%% contact_blocks %%}: could not show the blocks for %r", placement)
        skip_storing(request)
        return ""


@register.simple_tag
def contact_blocks_shown_today() -> int:
    """How many contact blocks patients see today, for the admin's home page: staff are told
    plainly when there is none, since patients then have no way to reach the clinic."""
    from ketamine_info.clinics.models import ContactBlock

    return ContactBlock.objects.shown().count()


# Django's own names of the days, in the page's language ("Monday", "lunes"); WEEKDAYS counts
# from Monday = 0, Day from Monday = 1.
_WEEKDAY_BY_LABEL = {day.label: WEEKDAYS[day.value - 1] for day in Day}


@register.filter
def weekday(label: str) -> str:
    """``{{ day.day|weekday }}``: an opening-hours row's day in the page's language."""
    name = _WEEKDAY_BY_LABEL.get(label)
    return str(name)[:1].upper() + str(name)[1:] if name else label
