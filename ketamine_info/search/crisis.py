"""Does a search suggest someone may be in crisis? Then the results page shows crisis help first.

The phrases live here, in code, on purpose: staff edit synonyms and best bets in the admin, but
nothing they edit can stop a search for "I want to die" from putting 988 and 911 first. A false
alarm costs a box of phone numbers above the results; a miss could cost far more, so the
matching is generous: misspellings of the key words, words run together ("killmyself"), and
common slang are all caught.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Long key words are matched with typing mistakes allowed (a swap of two letters counts as
# one); each stands for its family. "overdose" allows one, or "overdue" would count.
_FUZZY = {
    "suicide": (("suicide", "suicidal", "suicides", "suicidality"), 2),
    "overdose": (("overdose", "overdosed", "overdosing", "overdoses"), 1),
    "hopeless": (("hopeless", "hopelessness"), 1),
    "myself": (("myself",), 1),
    "worthless": (("worthless",), 1),
}
# Short words are matched only as spelled here (too many real words lie one letter away).
_EXACT = {
    "kill": ("kill", "kil", "kll", "killing", "kiling", "killin", "kills"),
    "die": ("die", "dye", "dying", "dieing", "died"),
    "dead": ("dead", "ded"),
    "want": ("want", "wanna", "wnat", "wants", "wanting", "wan", "wamt"),
    "life": ("life", "lyfe", "lif", "lifes"),
    "live": ("live", "living", "liv", "livin"),
    "myself": ("myself", "meself", "myslef", "mysef", "mysel", "mself", "urself", "yourself"),
    "overdose": ("od", "oding", "oded", "ods", "overdo"),
    "suicide": ("sucide", "suicde", "suiside", "sucidal", "suicid", "kms", "kys", "unalive"),
}
_PHRASES = [
    r"suicide",
    r"overdose",
    r"hopeless",
    r"(kill|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|drown|poison|end) myself",
    r"self (harm|harming|harmed|injury|injure|injuring|hurt|hurting|mutilation)",
    r"selfharm\w*",
    r"want (to )?die",
    r"(wish|wishing|ready|going|plan|planning|need|deserve) (i )?(to )?die",
    r"(wish i (was|were)|better off|rather be|want to be|be better) dead",
    r"(end|ending|take|taking) my (own )?life",
    r"end(ing)? it all",
    r"(want to|going to|gonna|just|how to|ready to) end it",
    r"(dont|do not|not|no longer) want (to )?(live|be alive|be here|exist|wake up)",
    r"no (reason|point) (to|in) (live|living|go on|going on)",
    r"(not|isnt) worth living",
    r"(cant|cannot) go on",
    r"worthless",
]
_PHRASE_RE = re.compile(r"\b(" + "|".join(_PHRASES) + r")\b")
# Phrases typed without spaces.
_JOINED_RE = re.compile(r"killmyself|wanttodie|wannadie|endmylife|selfharm")
_WORD_RE = re.compile(r"[a-z]+")


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, replace, or swap two neighbours: one step each), or
    ``limit + 1`` as soon as it is known to be over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)  # patients' words repeat; the fuzzy match is 50 µs a word
def _canonical(word: str) -> str:
    for canon, spellings in _EXACT.items():
        if word in spellings:
            return canon
    if len(word) >= 6:
        for canon, (forms, limit) in _FUZZY.items():
            if any(distance(word, form, limit) <= limit for form in forms):
                return canon
    return word


def suggests_crisis(text: str | None) -> bool:
    """True when the words of ``text`` suggest suicide, self-harm, overdose or despair."""
    if not text:
        return False
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    lowered = re.sub(r"(.)\1{2,}", r"\1\1", lowered)  # "diiiie" → "diie"
    words = _WORD_RE.findall(lowered)
    if not words:
        return False
    canonical = " ".join(_canonical(w) for w in words[:200])
    canonical = re.sub(r"\bmy self\b", "myself", canonical)
    return bool(_PHRASE_RE.search(canonical) or _JOINED_RE.search("".join(words)))
