"""Draws the site's icons from static/favicon.svg: the PNG touch icon and favicon.ico.

    .venv/bin/python scripts/make_icons.py

Chromium (through Playwright, as the browser tests use it) draws the SVG at each size; the small
sizes are packed into favicon.ico as PNG images (the ICO format allows that since Windows Vista;
every current browser reads it). Run it after changing the SVG and commit the results: the site
serves them as static files.
"""

import os
import struct
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "static"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# A touch icon is shown as a tile: square corners (the phone rounds them), no transparency, and
# the letter smaller, so nothing is cut off.
TOUCH_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" '
    'fill="#1f5f5b"/><g transform="translate(16 16) scale(0.72) translate(-16 -16)">'
    '<path d="M9 23V9h4v5l5-5h5l-7 7 7 7h-5l-5-5v5z" fill="#fff"/></g></svg>'
)


def draw(page, svg: str, size: int, path: Path) -> None:
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f"<style>html,body{{margin:0;background:transparent}}svg{{display:block;width:{size}px;"
        f"height:{size}px}}</style>{svg}"
    )
    page.screenshot(
        path=str(path), omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
    )


def main() -> None:
    favicon = (STATIC / "favicon.svg").read_text()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
        page = browser.new_page()
        draw(page, TOUCH_SVG, 180, STATIC / "apple-touch-icon.png")
        images = []
        for size in (16, 32, 48):
            path = Path(tmp) / f"icon-{size}.png"
            draw(page, favicon, size, path)
            images.append((size, path.read_bytes()))
        browser.close()
    (STATIC / "favicon.ico").write_bytes(ico(images))


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images: a header, one 16-byte entry per image, then the images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        data += png
        offset += len(png)
    return header + entries + data


if __name__ == "__main__":
    main()
