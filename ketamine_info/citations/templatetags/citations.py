from django import template

from ketamine_info.citations.references import build_references

register = template.Library()


@register.inclusion_tag("citations/references.html")
def references(item, heading_level=2, heading="References", collapsed=False):
    """The numbered References section for one article, FAQ answer or glossary term.

    Views that show many items build their references in one query beforehand
    (``build_references``) and set ``item.references``; this tag then reuses them.
    """
    refs = getattr(item, "references", None)
    if refs is None:
        refs = build_references([item])[id(item)]
    return {
        "references": refs,
        "heading_level": heading_level,
        "heading": heading,
        "prefix": item.marker_id_prefix(),
        # Collapsed (a <details> element, no JavaScript) where many answers share a page.
        "collapsed": collapsed,
    }
