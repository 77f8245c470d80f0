"""What a visitor typed, as a search compares it: the query cut to size, its meaningful words,
a phrase's compared form, and the plan a search is made from (groups of alternatives).

The models (a synonym's phrases, a best bet's key), spelling and the backends all use these, so
they live here, below all three: nothing in this module imports the rest of the app.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20

WORD_RE = re.compile(r"\w+")


def folded(text: str) -> str:
    """``text`` without its accents ("depresión" → "depresion", "niño" → "nino"), as the
    search indexes fold them (FTS5's remove_diacritics, unaccent on PostgreSQL): many people
    type Spanish on a phone without them."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFKC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def phrase_key(text: str) -> str:
    """A phrase as searches compare it: lowercase words without accents, one space apart
    ("K-Hole" → "k hole", "Depresión" → "depresion"). Apostrophes join their word ("won't" →
    "wont") as the query's words do."""
    text = folded(text).replace("'", "").replace("\u2019", "")
    return " ".join(w.lower() for w in WORD_RE.findall(text) if w.strip("_"))


# Small words that carry no meaning in a search (PostgreSQL's 'english' and 'spanish'
# configurations drop most of these themselves); they are left out of FTS5 queries unless the
# query has nothing else. Spanish ones without accents, as queries are compared; none is an
# English word that means something in a search (not "son", not "sin").
ENGLISH_STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "for",
        "from", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
        "your", "vs", "versus",
    }
)  # fmt: skip
SPANISH_STOP_WORDS = frozenset(
    {
        "al", "algo", "ante", "cada", "como", "con", "cual", "cuales", "cuando", "de", "del",
        "desde", "donde", "el", "ella", "en", "entre", "es", "esa", "ese", "eso", "esta", "estas",
        "este", "esto", "estos", "ha", "hay", "la", "las", "le", "les", "lo", "los", "mas", "mi",
        "mis", "muy", "no", "nos", "o", "para", "pero", "por", "porque", "que", "quien", "se", "si",
        "sobre", "su", "sus", "te", "tu", "tus", "u", "un", "una", "uno", "unos", "unas", "usted",
        "y", "ya", "yo",
    }
)  # fmt: skip
STOP_WORDS = ENGLISH_STOP_WORDS | SPANISH_STOP_WORDS


def normalised(raw: str | None) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", raw or "")
    return re.sub(r"\s+", " ", text).strip()


def clean_query(raw: str | None) -> str:
    """The query as searched for and shown back: no control characters, at most 200 chars."""
    return normalised(raw)[:MAX_QUERY_LENGTH].strip()


def words(query: str) -> list[str]:
    found = [w.lower() for w in WORD_RE.findall(folded(query)) if w.strip("_")]
    unique = list(dict.fromkeys(found))
    meaningful = [w for w in unique if w not in STOP_WORDS]
    return (meaningful or unique)[:MAX_TERMS]


def best_bet_key(text: str) -> str:
    """How a best bet's query and a visitor's query are compared: their meaningful words."""
    return " ".join(words(phrase_key(clean_query(text))))


Alternative = tuple[str, ...]  # words that must all match
Group = list[Alternative]  # one of these must match


@dataclass
class Plan:
    groups: list[Group]
    # Which groups are a single word as typed (the ones spelling may correct).
    plain_words: dict[int, str] = field(default_factory=dict)

    @property
    def alternatives(self) -> list[Alternative]:
        return list(dict.fromkeys(alt for group in self.groups for alt in group))
