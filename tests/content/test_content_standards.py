"""The shipped content meets the content standards: plain language, every statement cited."""

import re
from pathlib import Path

import pytest
import textstat
from django.conf import settings

from ketamine_info.contentsync.fileformat import load_markdown

MAX_GRADE = 8.0


def prose(body: str) -> str:
    """The running text a patient reads: no markers, headings, tables or Markdown syntax."""
    body = re.sub(r"\[@[^\]]*\]", "", body)
    # Figure and icon-array markers: their words are a picture's text alternative.
    body = re.sub(r"^\[\[(figure|icons) [^\]]*\]\]$", "", body, flags=re.M)
    lines = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith(("#", "|")):
            continue
        lines.append(re.sub(r"^([-*+]|\d+\.)\s+", "", line))
    text = "\n".join(lines)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def shipped(folder: str) -> list[Path]:
    return sorted((settings.CONTENT_DIR / folder).glob("*.md"))


PAGES = (
    shipped("articles")
    + shipped("faqs")
    + shipped("glossary")
    + shipped("pages")
    + shipped("figures")
)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_reading_grade_is_8_or_below(path):
    _, body = load_markdown(path.read_text(), path)
    grade = textstat.flesch_kincaid_grade(prose(body))
    assert grade <= MAX_GRADE, f"{path.name}: Flesch-Kincaid grade {grade}"


@pytest.mark.parametrize("path", shipped("articles"), ids=lambda p: p.stem)
def test_articles_are_500_to_1200_words(path):
    _, body = load_markdown(path.read_text(), path)
    words = len(prose(body).split())
    assert 500 <= words <= 1200, f"{path.name}: {words} words"


def uncited_blocks(body: str) -> list[str]:
    """Paragraphs and list items that carry no claim marker and are not plainly advice,
    a question or a short lead-in. A list introduced by a cited "…:" line is covered by it."""
    uncited = []
    covered_by_lead = False
    for block in re.split(r"\n\s*\n", body):
        text = block.strip()
        if not text or text.startswith(("#", "|", "[[icons ")):
            continue
        is_list = bool(re.match(r"([-*+]|\d+\.) ", text))
        lead = re.sub(r"\[@[^\]]*\]$", "", text).rstrip()
        if is_list and covered_by_lead:
            continue
        covered_by_lead = lead.endswith(":")
        items = re.split(r"\n(?=[-*+] |\d+\. )", text) if is_list else [text]
        for item in items:
            if "[@" in item or lead.endswith(":") or item.rstrip().endswith("?"):
                continue
            if ADVICE.search(item) or len(item.split()) <= 8:
                continue
            uncited.append(item[:80])
    return uncited


# Pages about the site itself (how it is written, privacy): they state no medical fact.
ABOUT_THE_SITE = {Path(settings.CONTENT_DIR / "pages" / "about.md")}


@pytest.mark.parametrize(
    "path", [p for p in PAGES if p not in ABOUT_THE_SITE], ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_every_paragraph_carries_a_claim_marker(path):
    """Heuristic for "every factual statement is cited": a paragraph or list item with no
    marker at all is either advice, a question or a lead-in (allowed) or an uncited fact."""
    _, body = load_markdown(path.read_text(), path)
    uncited = uncited_blocks(body)
    assert not uncited, f"{path.name}: paragraphs without a claim marker: {uncited}"


# Sentences that give advice or point to help state no fact that needs a source.
ADVICE = re.compile(
    r"\b(ask|talk|tell|speak|call|bring|plan|planning|write down|check with|do not|don't|"
    r"try to|your (own )?doctor)\b",
    re.IGNORECASE,
)


def test_the_heuristic_catches_an_uncited_fact():
    body = "Ketamine was first made in 1962 by a chemist at a drug company.\n\nAsk your doctor."
    assert uncited_blocks(body) == [
        "Ketamine was first made in 1962 by a chemist at a drug company."
    ]
