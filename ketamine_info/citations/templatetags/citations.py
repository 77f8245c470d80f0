from django import template
from django.utils.safestring import SafeString, mark_safe

from ketamine_info.citations.references import references_for

register = template.Library()


@register.simple_tag
def references(item, heading_level=2, heading=None) -> SafeString:
    """The folded, numbered list of sources for one article, FAQ answer, glossary term, figure
    or page, as stored with it (``citations.references``)."""
    return references_for(item).render(heading, heading_level)


@register.filter
def cited_html(item) -> SafeString:
    """``{{ article|cited_html }}``: the item's stored HTML, its reference numbers leading to
    the list ``{% references %}`` shows (both came out of one rendering)."""
    # Rendered and cleaned by markup.render, and stored as it came out.
    return mark_safe(item.body_html)  # noqa: S308
