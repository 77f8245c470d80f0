from django import template

from ketamine_info import structured_data

register = template.Library()


@register.simple_tag
def json_ld(data):
    """``{% json_ld data %}``: a JSON-LD script element, safe whatever the data holds."""
    return structured_data.script(data) if data else ""
