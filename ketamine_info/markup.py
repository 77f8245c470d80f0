"""Markdown to safe HTML: the only place the site turns text into markup.

Every Markdown field (article bodies, FAQ answers, glossary definitions, contact blocks) goes
through :func:`render`. Raw HTML in the source is never passed through: Python-Markdown's HTML
handling is switched off, so ``<script>`` comes out as visible text, and the result is then
cleaned by bleach against the allowlists below as a second line of defence. bleach is in
maintenance mode (nh3 is its successor); keeping it behind this one function makes a switch a
one-file change.

Claim markers follow Pandoc's citation syntax, with the key naming a claim in the citation
registry: ``[@claim-key]`` or ``[@key-a; @key-b]``. They become numbered superscript links to
the page's References section, numbered by first use.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
        "p", "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Classes the renderer itself emits; nothing a writer types can add another.
ALLOWED_CLASSES = frozenset({"claim-ref", "claim-refs", "term"})

CLAIM_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Anything that looks like a marker attempt: checked key by key so a typo is reported, not shown.
MARKER_RE = r"\[(@[^\]\n]*)\]"


def _allow_class(value: str) -> bool:
    return all(name in ALLOWED_CLASSES for name in value.split())


def url_allowed(value: str) -> bool:
    """Our own scheme check, stricter than bleach's: bleach drops backticks, whitespace and
    non-ASCII before parsing, and then reads "javascript:0" as a host and port, not a scheme."""
    normalized = re.sub(r"[`\x00-\x20\x7f-\xa0\s]+", "", html.unescape(value)).lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", normalized)
    return scheme is None or scheme.group(1) in ALLOWED_PROTOCOLS


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return _allow_class(value)
    if name in {"href", "src"} and not url_allowed(value):
        return False
    allowed = {
        "a": {"href", "title", "id", "aria-label"},
        "abbr": {"title"},
        "h2": {"id"},
        "h3": {"id"},
        "h4": {"id"},
        "th": {"scope"},
    }
    return name in allowed.get(tag, set())


@dataclass
class Rendered:
    html: str
    claim_keys: list[str] = field(default_factory=list)
    malformed_markers: list[str] = field(default_factory=list)
    # Set when the text cannot be rendered at all (e.g. hundreds of nested lists).
    error: str = ""


class ClaimMarkerProcessor(InlineProcessor):
    """Turns ``[@a; @b]`` into ``<sup class="claim-refs"><a …>[1]</a><a …>[2]</a></sup>``."""

    def __init__(self, pattern: str, md: markdown.Markdown, state: Rendered, id_prefix: str):
        super().__init__(pattern, md)
        self.state = state
        self.id_prefix = id_prefix
        self.uses: dict[str, int] = {}

    def handleMatch(self, m: re.Match, data: str):
        keys = [part.strip() for part in m.group(1).split(";")]
        if not keys or not all(k.startswith("@") and CLAIM_KEY_RE.match(k[1:]) for k in keys):
            self.state.malformed_markers.append(m.group(0))
            return None, None, None  # leave the text as typed; validation reports it
        sup = etree.Element("sup", {"class": "claim-refs"})
        for key in (k[1:] for k in keys):
            if key not in self.state.claim_keys:
                self.state.claim_keys.append(key)
            number = self.state.claim_keys.index(key) + 1
            self.uses[key] = self.uses.get(key, 0) + 1
            link = etree.SubElement(
                sup,
                "a",
                {
                    "href": f"#{self.id_prefix}ref-{number}",
                    "id": f"{self.id_prefix}cite-{number}-{self.uses[key]}",
                    "class": "claim-ref",
                    "aria-label": f"Source [{number}]",
                },
            )
            link.text = f"[{number}]"
        return sup, m.start(0), m.end(0)


class ClaimMarkerExtension(Extension):
    def __init__(self, state: Rendered, id_prefix: str):
        super().__init__()
        self.state = state
        self.id_prefix = id_prefix

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML never reaches the page: without these, Markdown copies it through verbatim.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Above links (160) and references (170) so [@key] is never read as a link; below
        # code spans (190) so a marker written inside backticks stays literal.
        md.inlinePatterns.register(
            ClaimMarkerProcessor(MARKER_RE, md, self.state, self.id_prefix), "claim_marker", 175
        )


def _heading_id(value: str, separator: str) -> str:
    # Namespaced so a heading can never take an id the References section uses (ref-1 …).
    slug = re.sub(r"[^a-z0-9]+", separator, value.lower()).strip(separator)
    return f"h-{slug or 'section'}"


def render(text: str, *, id_prefix: str = "") -> Rendered:
    """Render Markdown ``text`` to sanitized HTML, collecting the claim keys it cites.

    ``id_prefix`` keeps element ids unique when several rendered texts share a page (the FAQ).
    """
    state = Rendered(html="")
    md = markdown.Markdown(
        extensions=[
            "markdown.extensions.tables",
            "markdown.extensions.sane_lists",
            "markdown.extensions.toc",
            ClaimMarkerExtension(state, id_prefix),
        ],
        extension_configs={"markdown.extensions.toc": {"slugify": _heading_id, "toc_depth": "2-4"}},
        output_format="html",
    )
    try:
        raw = md.convert(text or "")
    except RecursionError:
        # Python-Markdown recurses once per nesting level; a few hundred levels exhaust the
        # stack. Show the text as typed rather than fail, and let validation refuse it.
        state.error = "The text is nested too deeply (lists or quotes inside each other)."
        raw = f"<pre>{html.escape(text)}</pre>"
        state.claim_keys.clear()
    state.html = bleach.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return state


def html_to_text(fragment: str) -> str:
    """Visible text of rendered HTML, without the reference numbers: for JSON-LD and search."""
    without_refs = re.sub(r'<sup class="claim-refs">.*?</sup>', "", fragment, flags=re.S)
    text = bleach.clean(without_refs, tags=set(), strip=True)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
