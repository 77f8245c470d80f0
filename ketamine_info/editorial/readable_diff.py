"""A change as a reviewer reads it: only the paragraphs that changed, each with a paragraph of
context either side, on the text patients will read (the Markdown rendered, then shown as plain
paragraphs), with the Markdown itself one click away.

A one-sentence change to a long article is then a few lines, not the whole body.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import bleach
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ketamine_info import markup

from .diff import word_diff

CONTEXT = 1  # unchanged paragraphs shown before and after each change
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|dt|dd|td|th|figcaption|pre)>|<br\s*/?>", re.I)
HEADING = re.compile(r"<h[1-6][^>]*>", re.I)
REFS = re.compile(r'<sup class="claim-refs">(.*?)</sup>', re.S)


@dataclass
class Block:
    kind: str  # "same", "changed" or "gap"
    html: SafeString


def is_markup(model, name: str) -> bool:
    """A Markdown field: the model stores its rendering beside it (``body`` → ``body_html``)."""
    names = {f.name for f in model._meta.get_fields()}
    return f"{name}_html" in names


def reader_paragraphs(text: str, *, refs: bool = True) -> list[str]:
    """What patients read of Markdown ``text``, one entry per paragraph, heading or list item.
    Reference numbers stay (as the page shows them, [1]) unless ``refs`` is false; a drawing is
    named where it stands."""
    rendered = markup.render_bounded(text or "")
    fragment = rendered.html if refs else REFS.sub("", rendered.html)
    fragment = REFS.sub(lambda m: " " + bleach.clean(m.group(1), tags=set(), strip=True), fragment)
    fragment = markup.FIGURE_SLOT_RE.sub(
        lambda m: "\n\n[Drawing: " + m.group(1) + "]\n\n", fragment
    )
    fragment = HEADING.sub("\n\n## ", fragment)
    fragment = BLOCK_END.sub("\n\n", fragment)
    plain = html.unescape(bleach.clean(fragment, tags=set(), strip=True))
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n", plain)]
    return [p for p in paragraphs if p]


def source_paragraphs(text: str) -> list[str]:
    return [
        p.strip("\n") for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()
    ]


def paragraph_diff(old: list[str], new: list[str], context: int = CONTEXT) -> list[Block]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks: list[Block] = []
    opcodes = matcher.get_opcodes()
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            same = new[b1:b2]
            head = same[:context] if index > 0 else []
            tail = same[-context:] if index < len(opcodes) - 1 else []
            if len(head) + len(tail) >= len(same):
                shown = same
                hidden = 0
            else:
                shown = None
                hidden = len(same) - len(head) - len(tail)
            if shown is not None:
                blocks += [Block("same", escape(p)) for p in shown]
                continue
            blocks += [Block("same", escape(p)) for p in head]
            word = "paragraph" if hidden == 1 else "paragraphs"
            blocks.append(Block("gap", escape(f"… {hidden} {word} unchanged …")))
            blocks += [Block("same", escape(p)) for p in tail]
            continue
        olds, news = old[a1:a2], new[b1:b2]
        if op == "replace" and len(olds) == len(news):
            pairs = list(zip(olds, news, strict=True))
        elif op == "replace":
            pairs = [("\n\n".join(olds), "\n\n".join(news))]
        else:
            pairs = [(p, "") for p in olds] + [("", p) for p in news]
        blocks += [Block("changed", word_diff(a, b)) for a, b in pairs]
    return blocks


def readable(model, name: str, old: str, new: str, *, source: bool = False) -> list[Block]:
    """The changed paragraphs of field ``name``: as patients read it, or (``source``) as typed."""
    if is_markup(model, name) and not source:
        return paragraph_diff(reader_paragraphs(old), reader_paragraphs(new))
    return paragraph_diff(source_paragraphs(old), source_paragraphs(new))


def as_html(blocks: list[Block]) -> SafeString:
    parts = [f'<p class="diff-{b.kind}">{b.html}</p>' for b in blocks]
    return mark_safe("".join(parts))  # noqa: S308 - each block is escaped or word_diff's output


# --- the preview marks what changed ---------------------------------------------------------

PAGE_BLOCK = re.compile(r"<(p|li|h[2-4]|dd|td)(\s[^>]*)?>(.*?)</\1>", re.S)


# The page keeps a reference number on its word with a word joiner; it is not text.
INVISIBLE = dict.fromkeys(map(ord, "\u2060\u200b\u00ad"))


def _normal(text: str) -> str:
    return " ".join(text.removeprefix("## ").translate(INVISIBLE).split())


def changed_paragraphs(model, values: dict, live_values: dict) -> set[str]:
    """The paragraphs of Markdown fields that the change adds or rewrites, as plain text."""
    found = set()
    for name, value in values.items():
        if not isinstance(value, str) or not is_markup(model, name):
            continue
        old = reader_paragraphs(live_values.get(name) or "", refs=False)
        new = reader_paragraphs(value, refs=False)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, _a1, _a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                found.update(_normal(p) for p in new[b1:b2])
    return found - {""}


def mark_changed(page: str, paragraphs: set[str]) -> tuple[str, int]:
    """``page`` with each block whose text is one of ``paragraphs`` given the class
    ``preview-changed``; and how many were marked."""
    marked = 0

    def mark(match):
        nonlocal marked
        tag, attributes, inner = match.group(1), match.group(2) or "", match.group(3)
        if _normal(markup.html_to_text(inner)) not in paragraphs:
            return match.group(0)
        marked += 1
        if 'class="' in attributes:
            attributes = attributes.replace('class="', 'class="preview-changed ', 1)
        else:
            attributes += ' class="preview-changed"'
        return f"<{tag}{attributes}>{inner}</{tag}>"

    return PAGE_BLOCK.sub(mark, page), marked
