from django import template
from django.utils.safestring import SafeString, mark_safe

from ketamine_info.citations.references import references_for

register = template.Library()


@register.simple_tag
def references(item, heading_level=2, heading="References") -> SafeString:
    """The folded, numbered list of sources for one article, FAQ answer, glossary term, figure
    or page. Views that show many items build their references in one query beforehand
    (``build_references``) and set ``item.references``; this tag then reuses them."""
    return references_for(item).render(heading, heading_level)


@register.filter
def cited_html(item) -> SafeString:
    """``{{ article|cited_html }}``: the item's stored HTML with its reference numbers matching
    its list of sources. Use it wherever a page shows a body that ``{% references %}`` lists."""
    # The stored HTML was rendered and cleaned by markup.render; only its markers change.
    return mark_safe(references_for(item).body_html)  # noqa: S308 - markup.render cleaned it
