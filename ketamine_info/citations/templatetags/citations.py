from django import template
from django.utils.safestring import SafeString, mark_safe

from ketamine_info.citations.references import references_for

register = template.Library()


@register.simple_tag
def references(item, heading_level=2, heading="References") -> SafeString:
    """The folded, numbered list of sources for one article, FAQ answer, glossary term, figure
    or page, as stored with it (``citations.references``)."""
    return references_for(item).render(heading, heading_level)


@register.filter
def cited_html(item) -> SafeString:
    """``{{ article|cited_html }}``: the item's stored HTML with its reference numbers matching
    its list of sources. Use it wherever a page shows a body that ``{% references %}`` lists."""
    # Rendered and cleaned by markup.render; only its markers were numbered again.
    return mark_safe(item.cited_html)  # noqa: S308
