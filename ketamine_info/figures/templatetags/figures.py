import logging

from django import template
from django.template.loader import render_to_string

from ketamine_info.figures.models import Figure
from ketamine_info.markup import split_figures
from ketamine_info.translations import current_language

logger = logging.getLogger(__name__)
register = template.Library()


@register.filter
def with_figures(body_html: str) -> list[tuple[str, str]]:
    """``{% for kind, value in article.body_html|with_figures %}``: the stored HTML in pieces,
    ``("html", …)`` and ``("figure", key)``, in order."""
    return split_figures(body_html)


@register.simple_tag
def figure(key: str, fetched: dict | None = None) -> str:
    """``{% figure "synapse" %}``: the drawing, its caption, its words and their sources, in
    the page's language (the active one) when the figure has been translated into it, in
    English otherwise. ``{% figure key figures %}`` uses figures the view already fetched
    (``Figure.objects.for_page``, with their references). ``key`` is the drawing's: the
    English figure's key, in pages of every language.

    A missing figure renders nothing and logs: the article around it still shows.
    """
    try:
        language = current_language()
        item = fetched.get(key) if fetched else None
        if item is None:
            item = Figure.objects.for_page([key], language).get(key)
        if item is None:
            logger.error("{%% figure %%}: no figure %r", key)
            return ""
        # All of it in the figure's own language, the drawing's words too: an English figure
        # on a Spanish page is marked as English, not half translated.
        with item.own_language():
            return render_to_string(
                "figures/figure.html",
                {
                    "figure": item,
                    "drawing": f"figures/drawings/{item.drawing}.html",
                    "other_language": item.language != language,
                },
            )
    except Exception:
        logger.exception("{%% figure %%}: could not show the figure %r", key)
        return ""
