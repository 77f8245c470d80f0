import logging

from django import template
from django.template.loader import render_to_string

from ketamine_info.images.models import Image

logger = logging.getLogger(__name__)
register = template.Library()

# How wide the picture shows, so that a browser fetches the smallest file that is sharp: the text
# column (site.css: ``.wrap.prose``, at most 42rem with 1rem of padding each side), so the
# screen's width less 2rem, up to 40rem. Wider than that, a phone held at 412 px with a 1.75
# pixel ratio would fetch a file half as large again as it can show.
SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


@register.simple_tag
def image(key: str) -> str:
    """``{% image "clinic-waiting-room" %}``: the published picture as a ``<picture>``, WebP
    with a JPEG or PNG fallback at several widths, its width and height set so the text does
    not move as it loads. An image not published (or not there) shows nothing: a page never
    shows a picture no reviewer has published."""
    try:
        item = Image.objects.published().filter(key=key).first()
        if item is None or not item.renditions:
            logger.warning("{%% image %%}: no published image %r", key)
            return ""
        url = item.file_url
        renditions = item.renditions
        return render_to_string(
            "images/picture.html",
            {
                "image": item,
                "webp_srcset": ", ".join(f"{url(r['webp'])} {r['width']}w" for r in renditions),
                "fallback_srcset": ", ".join(
                    f"{url(r['fallback'])} {r['width']}w" for r in renditions
                ),
                "src": url(renditions[-1]["fallback"]),
                "sizes": SIZES,
            },
        )
    except Exception:
        logger.exception("{%% image %%}: could not show the image %r", key)
        return ""
