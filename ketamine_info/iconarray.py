"""Icon arrays: "N out of 100 people" drawn as 100 small figures, N of them filled.

Drawn on the server as inline SVG (no JavaScript, no image file), in ``currentColor`` so it takes
the text colour of the page and follows dark mode. The SVG is a picture of a number that the text
beside it already states, so it carries its own text alternative (``role="img"`` and
``aria-label``) saying the same thing in words.

Used by Markdown (``[[icons N: words]]``, see ``markup``) and by templates (``{% icon_array %}``).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TOTAL = 100
PER_ROW = 10
CELL = 12  # each figure's box in SVG units; the SVG scales to the width it is given

# One person: a head and a body, drawn within a CELL x CELL box.
_PERSON = "M6 1.2a2.1 2.1 0 1 1 0 4.2a2.1 2.1 0 1 1 0-4.2zM2.6 11V8.4a3.4 3.1 0 0 1 6.8 0V11z"


def check_count(n) -> int:
    """``n`` as an int from 0 to 100, or ValueError: a picture must never show a wrong number."""
    if isinstance(n, bool) or not isinstance(n, int):
        if isinstance(n, str) and n.strip().isdigit():
            n = int(n.strip())
        else:
            raise ValueError(f"an icon array needs a whole number from 0 to 100, not {n!r}")
    if not 0 <= n <= TOTAL:
        raise ValueError(f"an icon array needs a whole number from 0 to 100, not {n}")
    return n


def text_alternative(n: int, label: str) -> str:
    # Translators: the text alternative of a drawing of 100 small figures, some of them filled.
    sentence = _("Picture of 100 people: %(shaded)s shaded, %(not_shaded)s not shaded.") % {
        "shaded": n,
        "not_shaded": TOTAL - n,
    }
    label = " ".join(label.split())
    return f"{sentence} {label}" if label else sentence


def icon_array_svg(n, label: str = "") -> SafeString:
    """The SVG for ``n`` out of 100, with ``label`` (plain text) as part of its text alternative."""
    n = check_count(n)
    rows = TOTAL // PER_ROW
    shapes = []
    for i in range(TOTAL):
        x, y = (i % PER_ROW) * CELL, (i // PER_ROW) * CELL
        cls = "icon-on" if i < n else "icon-off"
        shapes.append(f'<path class="{cls}" transform="translate({x} {y})" d="{_PERSON}"/>')
    alt = escape(text_alternative(n, label))
    svg = (
        f'<svg class="icon-array" viewBox="0 0 {PER_ROW * CELL} {rows * CELL}" role="img" '
        f'aria-label="{alt}" focusable="false" data-shaded="{n}">' + "".join(shapes) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 (built only from an int and an escaped label)
