"""Spelling tolerance: a query word that matches nothing is corrected to the nearest word the
pages use ("nausia" → "nausea"), so the page can say "Showing results for …".

Only words typed as themselves are corrected (not a synonym phrase, not a short word); the
database offers the candidates (an FTS5 vocabulary table on SQLite, pg_trgm on PostgreSQL), one
vocabulary per language with accents folded away, and the nearest by edit distance wins, so both
databases correct the same way: a Spanish reader is offered the words of the Spanish pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .crisis import distance
from .query import Plan, folded

MIN_LENGTH = 4  # shorter words have too many neighbours to guess well
MAX_CORRECTED = 5  # words corrected in one query, at most


def allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def nearest(word: str, candidates: list[str]) -> str | None:
    """The candidate closest to ``word``; ties go to the one that keeps the first letter and
    the length, then alphabetically, so that every database picks the same."""
    limit = allowed_distance(word)
    scored = []
    for candidate in set(candidates):
        if candidate == word or not candidate.isalpha():
            continue
        steps = distance(word, candidate, limit)
        if steps <= limit:
            scored.append(
                (steps, candidate[0] != word[0], abs(len(candidate) - len(word)), candidate)
            )
    return min(scored)[3] if scored else None


@dataclass
class Correction:
    plan: Plan
    query: str  # the visitor's query with the corrected words in place


def correct(plan: Plan, query: str, engine, language: str = "en") -> Correction | None:
    """The plan with each word no page has replaced by the nearest word the pages in the
    reader's ``language`` use (or, failing that, the pages in the other language)."""
    words = {
        n: word
        for n, word in plan.plain_words.items()
        if len(word) >= MIN_LENGTH and word.isalpha()
    }
    if not words:
        return None
    unknown = engine.unmatched(list(dict.fromkeys(words.values()))[:MAX_CORRECTED])
    if not unknown:
        return None
    near = engine.vocabulary(unknown)
    own = near.get(language, {})
    others = [found for lang, found in near.items() if lang != language]
    fixes = {
        word: nearest(word, own.get(word, []))
        or next(filter(None, (nearest(word, found.get(word, [])) for found in others)), None)
        for word in unknown
    }
    fixes = {word: fix for word, fix in fixes.items() if fix}
    if not fixes:
        return None
    groups = [
        [(fixes[words[n]],)] if words.get(n) in fixes else group
        for n, group in enumerate(plan.groups)
    ]
    # Each word typed, accents and capitals as typed, compared as the plan compares it.
    shown = re.sub(r"\w+", lambda m: fixes.get(folded(m.group()).lower(), m.group()), query)
    return Correction(Plan(groups, {}), shown)
