"""Markdown to safe HTML: the only place the site turns text into markup.

Every Markdown field (article bodies, FAQ answers, glossary definitions, contact blocks) goes
through :func:`render`. Raw HTML in the source is never passed through: Python-Markdown's HTML
handling is switched off, so ``<script>`` comes out as visible text, and the result is then
cleaned by bleach against the allowlists below as a second line of defence. bleach is in
maintenance mode (nh3 is its successor); keeping it behind this one function makes a switch a
one-file change.

Claim markers follow Pandoc's citation syntax, with the key naming a claim in the citation
registry: ``[@claim-key]`` or ``[@key-a; @key-b]``. They become numbered superscript links to
the page's References section. Given ``sources`` (each claim key mapped to the sources its
citations name, in order), the numbers are the *sources'*, in order of first use: a source that
backs several claims has one number, and a marker citing two claims of one source shows that
number once. Each link names the claims it stands for (``data-claims``), and the entries of the
list come out of the same pass (``Rendered.references``), so the text and its list cannot
disagree. Without ``sources`` (the live preview), each claim is numbered as its own entry.
Within one paragraph (or list item, or table cell) a claim is marked once, where it is first
cited: the same number after every sentence only lengthens the text.

Given ``terms`` (each glossary term and alias, mapped to the address of its definition), the
first use of each term in running text becomes ``<a class="term">`` to that definition; text in
links, headings, code and reference markers is left alone.

A paragraph that is only ``[[figure <key>]]`` marks where a figure (a drawing from the figures
app) goes. It is stored as ``<p class="figure-slot">key</p>`` and the page template puts the
figure there (``split_figures``): drawings are trusted templates, never Markdown. Nothing a
writer types can produce that element otherwise: raw HTML is never passed through. A paragraph
that is only ``[[image <key>]]`` is stored the same way, as ``<p class="image-slot">key</p>``:
the page shows the picture there only while it is published (the images app).
"""

from __future__ import annotations

import html
import multiprocessing
import re
import signal
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import bleach
import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ketamine_info import iconarray

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
        "p", "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Classes the renderer itself emits; nothing a writer types can add another.
ALLOWED_CLASSES = frozenset(
    {"claim-ref", "claim-refs", "figure-slot", "icon-slot", "image-slot", "term"}
)

WORD_JOINER = "\u2060"
CLAIM_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Anything that looks like a marker attempt: checked key by key so a typo is reported, not shown.
MARKER_RE = r"\[(@[^\]\n]*)\]"
FIGURE_MARKER_RE = re.compile(r"^\[\[figure ([a-z0-9]+(?:-[a-z0-9]+)*)\]\]$")
FIGURE_SLOT_RE = re.compile(r'<p class="figure-slot">([a-z0-9-]+)</p>')
IMAGE_MARKER_RE = re.compile(r"^\[\[image ([a-z0-9]+(?:-[a-z0-9]+)*)\]\]$")
# Figures and images: split out of the stored HTML for the page template to fill.
SLOT_RE = re.compile(r'<p class="(figure|image)-slot">([a-z0-9-]+)</p>')
# "[[icons 29: people who responded]]": an icon array, 29 of 100 figures shaded (see iconarray).
ICONS_MARKER_RE = re.compile(r"^\[\[icons ([^:\]\n]*):([^\]\n]*)\]\]$")
ICON_SLOT_RE = re.compile(r'<p class="icon-slot">(\d{1,3}):(.*?)</p>', re.S)


def _allow_class(value: str) -> bool:
    return all(name in ALLOWED_CLASSES for name in value.split())


def url_allowed(value: str) -> bool:
    """Our own scheme check, stricter than bleach's: bleach drops backticks, whitespace and
    non-ASCII before parsing, and then reads "javascript:0" as a host and port, not a scheme."""
    normalized = re.sub(r"[`\x00-\x20\x7f-\xa0\s]+", "", html.unescape(value)).lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", normalized)
    return scheme is None or scheme.group(1) in ALLOWED_PROTOCOLS


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name == "data-claims":
        # Only the renderer writes attributes (raw HTML is never passed through): claim keys.
        return all(CLAIM_KEY_RE.match(key) for key in value.split())
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
class ReferenceEntry:
    """One entry of the list under a text: a source (or, with none known, a claim of its own),
    the claims it backs there in order of first use, and each claim's places in the text."""

    number: int
    anchor: str
    # What ``sources`` named (a source's id); None for a claim with no source known.
    source: Hashable | None
    claims: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Rendered:
    html: str
    claim_keys: list[str] = field(default_factory=list)
    malformed_markers: list[str] = field(default_factory=list)
    # Set when the text cannot be rendered at all (e.g. hundreds of nested lists).
    error: str = ""
    figure_keys: list[str] = field(default_factory=list)
    # Icon-array markers whose number is not a whole number from 0 to 100.
    bad_icon_arrays: list[str] = field(default_factory=list)
    # ``(id, text)`` of each ## heading, for an "On this page" list.
    outline: list[tuple[str, str]] = field(default_factory=list)
    # The visible words, without reference numbers or figure slots (JSON-LD, search).
    text: str = ""
    # The reference list the numbers in ``html`` lead to, in order.
    references: list[ReferenceEntry] = field(default_factory=list)


class ClaimMarkerProcessor(InlineProcessor):
    """Turns ``[@a; @b]`` into ``<sup class="claim-refs">`` holding one link per claim; the links
    get their numbers once the whole text is read (``ReferenceNumberer``)."""

    def __init__(self, pattern: str, md: markdown.Markdown, state: Rendered):
        super().__init__(pattern, md)
        self.state = state

    def handleMatch(self, m: re.Match, data: str):
        keys = [part.strip() for part in m.group(1).split(";")]
        if not keys or not all(k.startswith("@") and CLAIM_KEY_RE.match(k[1:]) for k in keys):
            self.state.malformed_markers.append(m.group(0))
            return None, None, None  # leave the text as typed; validation reports it
        sup = etree.Element("sup", {"class": "claim-refs"})
        for key in (k[1:] for k in keys):
            if key not in self.state.claim_keys:
                self.state.claim_keys.append(key)
            etree.SubElement(sup, "a", {"data-claims": key})
        return sup, m.start(0), m.end(0)


class FigureMarkerProcessor(BlockProcessor):
    """A paragraph that is only ``[[figure key]]`` becomes ``<p class="figure-slot">key</p>``."""

    def __init__(self, parser, state: Rendered):
        super().__init__(parser)
        self.state = state

    def test(self, parent, block: str) -> bool:
        # Only between top-level blocks: a figure never goes inside a list or a quote.
        return parent is self.parser.root and bool(FIGURE_MARKER_RE.match(block.strip()))

    def run(self, parent, blocks: list[str]) -> None:
        key = FIGURE_MARKER_RE.match(blocks.pop(0).strip()).group(1)
        slot = etree.SubElement(parent, "p", {"class": "figure-slot"})
        slot.text = AtomicString(key)  # never Markdown, never a glossary link
        self.state.figure_keys.append(key)


class ImageMarkerProcessor(BlockProcessor):
    """A paragraph that is only ``[[image key]]`` becomes ``<p class="image-slot">key</p>``."""

    def test(self, parent, block: str) -> bool:
        return parent is self.parser.root and bool(IMAGE_MARKER_RE.match(block.strip()))

    def run(self, parent, blocks: list[str]) -> None:
        key = IMAGE_MARKER_RE.match(blocks.pop(0).strip()).group(1)
        slot = etree.SubElement(parent, "p", {"class": "image-slot"})
        slot.text = AtomicString(key)


class IconArrayProcessor(BlockProcessor):
    """A paragraph that is only ``[[icons N: words]]`` becomes ``<p class="icon-slot">N:words</p>``,
    drawn as an icon array once the HTML is clean (``_draw_icon_arrays``)."""

    def __init__(self, parser, state: Rendered):
        super().__init__(parser)
        self.state = state

    def test(self, parent, block: str) -> bool:
        return parent is self.parser.root and bool(ICONS_MARKER_RE.match(block.strip()))

    def run(self, parent, blocks: list[str]) -> None:
        text = blocks.pop(0).strip()
        number, label = ICONS_MARKER_RE.match(text).groups()
        try:
            n = iconarray.check_count(number)
        except ValueError:
            self.state.bad_icon_arrays.append(text)
            para = etree.SubElement(parent, "p")
            para.text = AtomicString(text)  # shown as typed; validation refuses it
            return
        slot = etree.SubElement(parent, "p", {"class": "icon-slot"})
        slot.text = AtomicString(f"{n}:{label.strip()}")


def _draw_icon_arrays(fragment: str) -> str:
    def draw(match: re.Match) -> str:
        label = html.unescape(match.group(2)).strip()
        svg = iconarray.icon_array_svg(int(match.group(1)), label)
        # The words under the picture, for sighted readers; the SVG's own label already says
        # them (with the count) to screen readers, so they are not read twice.
        caption = f'<p class="icon-caption" aria-hidden="true">{html.escape(label)}</p>'
        return f'<div class="icon-array-wrap">{svg}{caption}</div>'

    return ICON_SLOT_RE.sub(draw, fragment)


# A table in a box that scrolls sideways on a narrow screen: named, reachable with the keyboard
# (its arrow keys scroll it), and followed by a line saying so (shown only on narrow screens).
TABLE_HINT = "Scroll sideways to see the whole table."
TABLE_BOX = (
    '<div class="table-scroll" role="region" tabindex="0" aria-label="Table that scrolls sideways">'
)
TABLE_BOX_END = f'</div>\n<p class="table-scroll-hint" aria-hidden="true">{TABLE_HINT}</p>'
_TABLE_RE = re.compile(r"<table>.*?</table>", re.S)


def _scrollable_tables(fragment: str) -> str:
    """The renderer's own markup, added after cleaning (as the icon arrays are): nothing a
    writer types can add a box or its attributes."""
    return _TABLE_RE.sub(lambda match: f"{TABLE_BOX}{match.group(0)}{TABLE_BOX_END}", fragment)


class ReferenceNumberer(Treeprocessor):
    """Drops a claim's marker when the same paragraph has already cited that claim, then numbers
    every marker by source in the order a reader meets them, and makes the list's entries: one
    pass, so each number leads to the entry of a source behind the claims it stands for, and
    each entry's back-links to the numbers that lead to it."""

    # The blocks a reader sees as one paragraph. A list item's own paragraphs count separately.
    BLOCKS = frozenset({"p", "li", "td", "th", "h2", "h3", "h4", "blockquote", "dd", "dt"})

    def __init__(
        self,
        md: markdown.Markdown,
        state: Rendered,
        id_prefix: str,
        sources: Mapping[str, Sequence[Hashable]] | None,
    ):
        super().__init__(md)
        self.state = state
        self.id_prefix = id_prefix
        self.sources = sources or {}

    def run(self, root: etree.Element) -> None:
        self._walk(root, None)
        entries: dict[object, ReferenceEntry] = {}
        uses: dict[int, int] = {}
        parents = {child: parent for parent in root.iter() for child in parent}
        claim_keys: list[str] = []
        for sup in list(root.iter("sup")):
            if sup.get("class") != "claim-refs":
                continue
            # The entries this marker leads to, each once, with the claims that led there.
            targets: dict[int, tuple[ReferenceEntry, list[str]]] = {}
            for key in (link.get("data-claims") for link in sup):
                if key not in claim_keys:
                    claim_keys.append(key)
                for source in dict.fromkeys(self.sources.get(key) or [None]):
                    identity = ("claim", key) if source is None else source
                    if identity not in entries:
                        number = len(entries) + 1
                        entries[identity] = ReferenceEntry(
                            number, f"{self.id_prefix}ref-{number}", source
                        )
                    entry = entries[identity]
                    entry.claims.setdefault(key, [])
                    targets.setdefault(entry.number, (entry, []))[1].append(key)
            for link in list(sup):
                sup.remove(link)
            for number, (entry, keys) in sorted(targets.items()):
                uses[number] = uses.get(number, 0) + 1
                anchor = f"{self.id_prefix}cite-{number}-{uses[number]}"
                for key in keys:
                    entry.claims[key].append(anchor)
                link = etree.SubElement(
                    sup,
                    "a",
                    {
                        "href": f"#{entry.anchor}",
                        "id": anchor,
                        "class": "claim-ref",
                        "aria-label": f"Source [{number}]",
                        "data-claims": " ".join(keys),
                    },
                )
                link.text = f"[{number}]"
            self._join_to_word(parents[sup], sup)
        self.state.claim_keys[:] = claim_keys
        self.state.references = list(entries.values())

    @staticmethod
    def _join_to_word(parent: etree.Element, sup: etree.Element) -> None:
        # A word joiner (U+2060) keeps the numbers on the line of the word they follow.
        index = list(parent).index(sup)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + WORD_JOINER
        else:
            parent.text = (parent.text or "") + WORD_JOINER

    def _walk(self, element: etree.Element, seen: set[str] | None) -> None:
        if element.tag in self.BLOCKS:
            seen = set()
        for child in list(element):
            if child.tag == "sup" and child.get("class") == "claim-refs":
                if seen is None:
                    continue
                for link in list(child):
                    if link.get("data-claims") in seen:
                        child.remove(link)
                    seen.add(link.get("data-claims"))
                if not len(child):
                    self._remove_keeping_tail(element, child)
            else:
                self._walk(child, seen)

    @staticmethod
    def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
        index = list(parent).index(child)
        tail = child.tail or ""
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(child)


class ClaimMarkerExtension(Extension):
    def __init__(
        self, state: Rendered, id_prefix: str, sources: Mapping[str, Sequence[Hashable]] | None
    ):
        super().__init__()
        self.state = state
        self.id_prefix = id_prefix
        self.sources = sources

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML never reaches the page: without these, Markdown copies it through verbatim.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Above links (160) and references (170) so [@key] is never read as a link; below
        # code spans (190) so a marker written inside backticks stays literal.
        md.inlinePatterns.register(
            ClaimMarkerProcessor(MARKER_RE, md, self.state), "claim_marker", 175
        )
        # Before paragraphs (10), after everything that could claim the block first.
        md.parser.blockprocessors.register(
            FigureMarkerProcessor(md.parser, self.state), "figure_marker", 12
        )
        md.parser.blockprocessors.register(
            IconArrayProcessor(md.parser, self.state), "icon_array", 11
        )
        md.parser.blockprocessors.register(ImageMarkerProcessor(md.parser), "image_marker", 13)
        # After inline patterns (20) have made the markers, before glossary linking (15).
        md.treeprocessors.register(
            ReferenceNumberer(md, self.state, self.id_prefix, self.sources), "reference_numbers", 17
        )


class GlossaryLinker(Treeprocessor):
    """Links the first use of each glossary term (or one of its aliases) to its definition."""

    # Text inside these is never linked: links can't nest, headings and code stay as written,
    # reference markers are numbers.
    SKIP = frozenset({"a", "abbr", "code", "pre", "sup", "th", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self, md: markdown.Markdown, terms: Mapping[str, str]):
        super().__init__(md)
        self.href = {phrase.lower(): href for phrase, href in terms.items()}
        # Longest first, so "NMDA receptors" wins over "NMDA receptor" at the same place.
        alternatives = "|".join(re.escape(p) for p in sorted(terms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        self.linked: set[str] = set()

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in self.SKIP:
            return
        element.text, links = self._split(element.text)
        for index, link in enumerate(links):
            element.insert(index, link)
        for child in list(element):
            self._walk(child)
            child.tail, links = self._split(child.tail)
            position = list(element).index(child)
            for offset, link in enumerate(links, start=1):
                element.insert(position + offset, link)

    def _split(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        """The text before the first new link, and the links, each with the text after it."""
        if not text or isinstance(text, AtomicString):
            return text, []
        leading, links, end = text, [], 0
        for match in self.pattern.finditer(text):
            href = self.href.get(match.group(0).lower())
            # A term already linked is skipped whole: its words never link to a shorter term.
            if href is None or href in self.linked:
                continue
            self.linked.add(href)
            if links:
                links[-1].tail = text[end : match.start()]
            else:
                leading = text[: match.start()]
            link = etree.Element("a", {"class": "term", "href": href})
            link.text = match.group(0)
            links.append(link)
            end = match.end()
        if links:
            links[-1].tail = text[end:]
        return leading, links


class GlossaryExtension(Extension):
    def __init__(self, terms: Mapping[str, str]):
        super().__init__()
        self.terms = terms

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline patterns (20) have made links, code and markers; before the table of
        # contents (5) reads the headings.
        md.treeprocessors.register(GlossaryLinker(md, self.terms), "glossary_terms", 15)


def _heading_id(value: str, separator: str) -> str:
    # Namespaced so a heading can never take an id the References section uses (ref-1 …).
    # Accents dropped, not the letters that carry them: "Qué esperar" is h-que-esperar.
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", separator, value.lower()).strip(separator)
    return f"h-{slug or 'section'}"


def render(
    text: str,
    *,
    id_prefix: str = "",
    terms: Mapping[str, str] | None = None,
    sources: Mapping[str, Sequence[Hashable]] | None = None,
) -> Rendered:
    """Render Markdown ``text`` to sanitized HTML, collecting the claim keys it cites and the
    reference list its numbers lead to.

    ``id_prefix`` keeps element ids unique when several rendered texts share a page (the FAQ).
    ``terms`` maps glossary terms and aliases to their definitions' addresses: the first use
    of each is linked. ``sources`` maps each claim key to the sources its citations name, in
    order (any hashable identity): the markers are numbered by source.
    """
    state = Rendered(html="")
    extensions = [
        "markdown.extensions.tables",
        "markdown.extensions.sane_lists",
        "markdown.extensions.toc",
        ClaimMarkerExtension(state, id_prefix, sources),
    ]
    if terms:
        extensions.append(GlossaryExtension(terms))
    md = markdown.Markdown(
        extensions=extensions,
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
        state.references.clear()
    state.html = bleach.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    # After cleaning: the drawing is the renderer's own markup, built from a checked number.
    state.html = _draw_icon_arrays(state.html)
    state.html = _scrollable_tables(state.html)
    state.outline = outline(state.html)
    state.text = html_to_text(state.html)
    return state


# --- Bounded rendering of what staff type ------------------------------------------------------

# Python-Markdown is slow, sometimes very slow, on some inputs: 50,000 characters of "[" take
# minutes, 12,500 claim markers tens of seconds (each inline match rescans the text). What
# staff type (the live preview, every save) is therefore rendered in a child process that is
# stopped after RENDER_SECONDS of processor time; plain caps first give a clear message for
# the common cases.
MAX_LENGTH = 50_000
MAX_CLAIM_MARKERS = 500
RENDER_SECONDS = 1.0
TOO_SLOW = (
    "This text takes too long to turn into a page (more than {seconds:g} s). Long runs of "
    "*, _, `, [ or ] usually cause it: remove them, or split the text."
)


def cost_problem(text: str) -> str:
    """A message when ``text`` is over a cap that keeps its rendering cheap; '' otherwise."""
    if len(text) > MAX_LENGTH:
        return f"The text is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed."
    markers = text.count("[@")
    if markers > MAX_CLAIM_MARKERS:
        return (
            f"The text has {markers:,} claim markers; at most {MAX_CLAIM_MARKERS:,} are allowed. "
            "Cite each claim once per paragraph at most."
        )
    return ""


# However busy the machine, a child that is merely waiting for a processor is not refused:
# the limit is on the processor time it uses; this only bounds the wait for a result at all.
WAIT_SECONDS = 25.0


def _render_into(connection, seconds: float, text: str, kwargs: dict) -> None:
    # SIGPROF after `seconds` of processor time; its default action ends the process.
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        connection.send(render(text, **kwargs))
    finally:
        connection.close()


def render_bounded(text: str, *, seconds: float | None = None, **kwargs) -> Rendered:
    """``render``, refused (``Rendered.error`` set, the text shown as typed) when ``text`` is
    over a cap or takes more than ``seconds`` of processor time to render."""
    text = text or ""
    seconds = RENDER_SECONDS if seconds is None else seconds
    problem = cost_problem(text)
    if not problem:
        # fork: the child starts at once with everything already imported, and is killed
        # outright if it runs over (a thread could not be stopped).
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_render_into, args=(sender, seconds, text, kwargs), daemon=True
        )
        child.start()
        sender.close()
        try:
            if receiver.poll(WAIT_SECONDS):  # returns at once when the child is stopped
                try:
                    return receiver.recv()
                except (EOFError, OSError):  # stopped at its limit (or out of memory, …)
                    pass
            problem = TOO_SLOW.format(seconds=seconds)
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()
    return Rendered(html=f"<pre>{html.escape(text)}</pre>", error=problem)


def marker_keys(text: str) -> set[str]:
    """The claim keys the markers in Markdown ``text`` name, read without rendering it: what
    to fetch from the registry before rendering (a key in a code span is fetched, not used)."""
    return {
        key.strip()[1:]
        for marker in re.findall(MARKER_RE, text or "")
        for key in marker.split(";")
        if key.strip().startswith("@") and CLAIM_KEY_RE.match(key.strip()[1:])
    }


def html_to_text(fragment: str) -> str:
    """Visible text of rendered HTML, without the reference numbers: for JSON-LD and search."""
    without_refs = re.sub(r'<sup class="claim-refs">.*?</sup>', "", fragment, flags=re.S)
    without_refs = SLOT_RE.sub("", without_refs).replace(WORD_JOINER, "")
    text = bleach.clean(without_refs, tags=set(), strip=True)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def outline(fragment: str, level: int = 2) -> list[tuple[str, str]]:
    """``(id, text)`` of each heading of ``level`` in rendered HTML, for an "On this page" list."""
    pattern = rf'<h{level} id="([^"]+)">(.*?)</h{level}>'
    return [(anchor, html_to_text(inner)) for anchor, inner in re.findall(pattern, fragment, re.S)]


def split_figures(fragment: str) -> list[tuple[str, str]]:
    """Rendered HTML as ``("html", part)``, ``("figure", key)`` and ``("image", key)`` pieces,
    in order."""
    pieces = SLOT_RE.split(fragment)
    parts = []
    for index in range(0, len(pieces), 3):
        if pieces[index].strip():
            parts.append(("html", pieces[index]))
        if index + 2 < len(pieces):
            parts.append((pieces[index + 1], pieces[index + 2]))
    return parts
