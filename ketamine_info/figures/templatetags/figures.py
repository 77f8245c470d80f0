import logging

from django import template
from django.template.loader import render_to_string

from ketamine_info.figures.models import Figure
from ketamine_info.markup import split_figures

logger = logging.getLogger(__name__)
register = template.Library()


@register.filter
def with_figures(body_html: str) -> list[tuple[str, str]]:
    """``{% for kind, value in article.body_html|with_figures %}``: the stored HTML in pieces,
    ``("html", …)`` and ``("figure", key)``, in order."""
    return split_figures(body_html)


@register.simple_tag
def figure(key: str, fetched: dict | None = None) -> str:
    """``{% figure "synapse" %}``: the drawing, its caption, its words and their sources.
    ``{% figure key figures %}`` uses figures the view already fetched (with their references).

    A missing figure renders nothing and logs: the article around it still shows.
    """
    try:
        item = fetched.get(key) if fetched else None
        if item is None:
            item = Figure.objects.filter(key=key).first()
        if item is None:
            logger.error("{%% figure %%}: no figure %r", key)
            return ""
        return render_to_string(
            "figures/figure.html",
            {"figure": item, "drawing": f"figures/drawings/{item.key}.html"},
        )
    except Exception:
        logger.exception("{%% figure %%}: could not show the figure %r", key)
        return ""
