from django import template

from ketamine_info.iconarray import icon_array_svg

register = template.Library()


@register.simple_tag
def icon_array(n, label=""):
    """``{% icon_array 29 "29 out of 100 people responded" %}``: 100 figures, ``n`` shaded.
    A number outside 0 to 100 raises ValueError: the page fails rather than draw a wrong picture."""
    return icon_array_svg(n, label)
