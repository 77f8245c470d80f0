import logging

from django import template
from django.template.loader import render_to_string

from ketamine_info import structured_data
from ketamine_info.clinics.models import ContactBlock, Placement

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag
def contact_blocks(placement, article=None):
    """``{% contact_blocks "article_end" article=article %}``: the clinic contact blocks shown
    at ``placement`` today, in order.

    With no block it renders nothing at all. It never breaks a page: any error is logged and
    the page is served without the blocks (the crisis message is not a block, so it stays).
    """
    try:
        if placement not in Placement.values:
            logger.error("{%% contact_blocks %%}: unknown placement %r", placement)
            return ""
        blocks = list(ContactBlock.objects.visible(placement, article=article))
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
        return ""
