from django import template

from ketamine_info.citations.references import build_references

register = template.Library()


@register.inclusion_tag("citations/references.html")
def references(item, heading_level=2):
    """The numbered References section for one article, FAQ answer or glossary term."""
    return {
        "references": build_references([item])[id(item)],
        "heading_level": heading_level,
        "prefix": item.marker_id_prefix(),
    }
