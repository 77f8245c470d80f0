"""Full-text search in the database: SQLite FTS5 by default, PostgreSQL's on PostgreSQL.

``search(query)`` is the whole interface. A visitor's query is cut to ``MAX_QUERY_LENGTH``
characters and to its words; nothing they type reaches the database as query syntax, so quotes,
operators, SQL and emoji are only ever text to look for.

A search is planned first (``plan``): each word of the query, or each phrase that staff listed
as a synonym ("k-hole", "feel sick"), becomes a *group* of alternatives; a page must match one
alternative of every group. Pages with every group come first; when no page has them all, a
word that matches nothing is corrected to the nearest word the pages use ("did you mean"), and
failing that, pages with any of the words are shown. Then ranking: titles weigh most, headings
and a term's other names next, the body least; a word most pages use brings the main articles
whose title has it first, in reading order; one listing page (the FAQ, the glossary) does not
fill the top of the list; pages staff pinned for the query come first of all.

Snippets and titles come back with the matched words in ``<mark>``: the text is HTML-escaped
first and only the marks this module adds are markup. A search costs a handful of queries, each
answered from an index or a small table, never a loop over every row in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.db.models import Case, CharField, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import spelling
from .crisis import suggests_crisis
from .documents import BY_KIND
from .models import BestBet, Document, SynonymPhrase, phrase_key

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
MAX_RESULTS = 50
# Synonym phrases are looked up among the query's runs of 1 to MAX_PHRASE_WORDS words.
MAX_PHRASE_WORDS = 4
# Among the first SPREAD results, at most MAX_SAME_PAGE come from one page (the FAQ page).
SPREAD, MAX_SAME_PAGE = 5, 2
# Match markers inside snippets; documents.plain() keeps them out of indexed text.
START, STOP = "\x02", "\x03"

WORD_RE = re.compile(r"\w+")
# Small words that carry no meaning in a search (PostgreSQL's 'english' configuration drops
# these itself); they are left out of FTS5 queries unless the query has nothing else.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "for",
        "from", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
        "your",
    }
)  # fmt: skip


def _normalised(raw: str | None) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", raw or "")
    return re.sub(r"\s+", " ", text).strip()


def clean_query(raw: str | None) -> str:
    """The query as searched for and shown back: no control characters, at most 200 chars."""
    return _normalised(raw)[:MAX_QUERY_LENGTH].strip()


def words(query: str) -> list[str]:
    found = [w.lower() for w in WORD_RE.findall(query) if w.strip("_")]
    unique = list(dict.fromkeys(found))
    meaningful = [w for w in unique if w not in STOP_WORDS]
    return (meaningful or unique)[:MAX_TERMS]


def best_bet_key(text: str) -> str:
    """How a best bet's query and a visitor's query are compared: their meaningful words."""
    return " ".join(words(phrase_key(clean_query(text))))


def marked(text: str) -> SafeString:
    """Escape ``text`` and turn the START/STOP markers around matches into ``<mark>``."""
    escaped = escape(text)
    html = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)


# --- Planning: words, synonyms ----------------------------------------------------------

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


def plan(query: str) -> Plan:
    """Split the query into groups, each word or synonym phrase with what it stands for."""
    tokens = phrase_key(query).split()[: MAX_TERMS * 2]
    runs = {
        " ".join(tokens[i : i + n])
        for n in range(1, MAX_PHRASE_WORDS + 1)
        for i in range(len(tokens) - n + 1)
    }
    terms: dict[str, list[str]] = {}
    if runs:
        # One indexed lookup for every run of words in the query.
        for phrase, term in SynonymPhrase.objects.filter(phrase__in=runs).values_list(
            "phrase", "synonym__term"
        ):
            terms.setdefault(phrase, []).append(term)
    groups: list[Group] = []
    plain_words: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + n])
            if phrase in terms:
                alternatives = [tuple(words(phrase))] + [
                    tuple(words(phrase_key(term))) for term in sorted(terms[phrase])
                ]
                groups.append(list(dict.fromkeys(a for a in alternatives if a)))
                i += n
                break
        else:
            if tokens[i] not in STOP_WORDS:
                plain_words[len(groups)] = tokens[i]
                groups.append([(tokens[i],)])
            i += 1
    if not groups:  # nothing but small words: search for them after all
        groups = [[(word,)] for word in words(query)]
        plain_words = {n: group[0][0] for n, group in enumerate(groups)}
    unique: list[Group] = []
    kept: dict[int, str] = {}
    for n, group in enumerate(groups):
        if group not in unique and len(unique) < MAX_TERMS:
            if n in plain_words:
                kept[len(unique)] = plain_words[n]
            unique.append(group)
    return Plan(unique, kept)


# --- Results ------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str  # with START/STOP markers
    snippet: str  # with START/STOP markers
    rank: float
    url: str = ""
    kind_label: str = ""
    pinned: bool = False  # a best bet
    position: int = 0  # an article's place in the reading order

    @property
    def title_html(self) -> SafeString:
        return marked(self.title)

    @property
    def snippet_html(self) -> SafeString:
        return marked(self.snippet)

    @property
    def page(self) -> str:
        """The page the hit is on: FAQ answers share /faq/, glossary terms /glossary/."""
        return self.url.split("#", 1)[0]


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False  # the visitor's query was longer than MAX_QUERY_LENGTH
    partial: bool = False  # no page has every word; these have some of them
    crisis: bool = False  # the words suggest someone may be in crisis: help comes first
    corrected: str = ""  # the query as spelling corrected it, when the results are for that


@dataclass
class Found:
    hits: list[Hit]
    documents: int  # how many documents the index holds, to tell a broad query


class SQLiteBackend:
    """FTS5 over search_document (migration 0003): bm25, title 10, headings 4, body 1."""

    SQL = """
        SELECT d.kind, d.object_id,
               highlight(search_document_fts, 0, %s, %s),
               snippet(search_document_fts, 2, %s, %s, '…', 30),
               bm25(search_document_fts, 10.0, 4.0, 1.0) AS rank,
               (SELECT count(*) FROM search_document)
        FROM search_document_fts
        JOIN search_document AS d ON d.id = search_document_fts.rowid
        WHERE search_document_fts MATCH %s
        ORDER BY rank
        LIMIT %s
    """

    # Whether a word is in any document: 1 or 0.
    PROBE = (
        "(SELECT count(*) FROM (SELECT 1 FROM search_document_fts"
        " WHERE search_document_fts MATCH %s LIMIT 1))"
    )

    @staticmethod
    def quoted(word: str) -> str:
        # Each word as an FTS5 string: "…" with inner quotes doubled is never an operator.
        return '"' + word.replace('"', '""') + '"'

    def alternative(self, alternative: Alternative) -> str:
        return "(" + " AND ".join(self.quoted(w) for w in alternative) + ")"

    def match_expression(self, plan: Plan, *, every: bool) -> str:
        if not every:
            return " OR ".join(self.alternative(a) for a in plan.alternatives)
        groups = ["(" + " OR ".join(self.alternative(a) for a in g) + ")" for g in plan.groups]
        return " AND ".join(groups)

    def search(self, plan: Plan, *, every: bool, limit: int) -> Found:
        params = [START, STOP, START, STOP, self.match_expression(plan, every=every), limit]
        with connection.cursor() as cursor:
            cursor.execute(self.SQL, params)
            rows = cursor.fetchall()
        # bm25() is lower for better matches; flip it so that higher is better everywhere.
        hits = [Hit(kind, oid, title, snip, -rank) for kind, oid, title, snip, rank, _ in rows]
        return Found(hits, rows[0][5] if rows else 0)

    def unmatched(self, candidates: list[str]) -> list[str]:
        """The words, of ``candidates``, that no document contains (in one query)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join([self.PROBE] * len(candidates)),
                [self.quoted(w) for w in candidates],
            )
            found = cursor.fetchone()
        return [w for w, n in zip(candidates, found, strict=True) if not n]

    def vocabulary(self, unknown: list[str]) -> dict[str, list[str]]:
        """Indexed words near each unknown word in length and sharing its first letter: the
        fts5vocab table answers a range of terms from the index's own sorted term list."""
        parts, params = [], []
        for n, word in enumerate(unknown):
            parts.append(
                "SELECT %s, term FROM search_word_vocab WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s"
            )
            first = word[0]
            params += [n, first, first + "\U0010ffff", len(word) - 2, len(word) + 2]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        near: dict[str, list[str]] = {word: [] for word in unknown}
        for n, term in rows:
            near[unknown[n]].append(term)
        return near


class PostgreSQLBackend:
    """to_tsvector/plainto_tsquery with the 'english' configuration, ts_rank, ts_headline;
    title weight A, headings B, body D."""

    CONFIG = "english"

    def query(self, plan: Plan, *, every: bool):
        from django.contrib.postgres.search import SearchQuery

        def alternative(words: Alternative):
            # plainto_tsquery accepts any text without a syntax error, by design.
            return SearchQuery(" ".join(words), search_type="plain", config=self.CONFIG)

        def either(alternatives):
            return reduce(lambda a, b: a | b, map(alternative, alternatives))

        if not every:
            return either(plan.alternatives)
        return reduce(lambda a, b: a & b, (either(group) for group in plan.groups))

    def vector(self):
        from django.contrib.postgres.search import SearchVector

        return (
            SearchVector("title", weight="A", config=self.CONFIG)
            + SearchVector("headings", weight="B", config=self.CONFIG)
            + SearchVector("body", weight="D", config=self.CONFIG)
        )

    def search(self, plan: Plan, *, every: bool, limit: int) -> Found:
        from django.contrib.postgres.search import SearchHeadline, SearchRank
        from django.db.models.expressions import RawSQL

        search_query = self.query(plan, every=every)
        vector = self.vector()
        marks = {"start_sel": START, "stop_sel": STOP, "config": self.CONFIG}
        rows = (
            Document.objects.annotate(search=vector)
            .filter(search=search_query)
            .annotate(
                rank=SearchRank(vector, search_query),
                title_marked=SearchHeadline("title", search_query, highlight_all=True, **marks),
                snippet=SearchHeadline(
                    "body",
                    search_query,
                    max_words=30,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
                documents=RawSQL("SELECT count(*) FROM search_document", []),
            )
            .order_by("-rank", "kind", "object_id")
            .values_list("kind", "object_id", "title_marked", "snippet", "rank", "documents")[
                :limit
            ]
        )
        rows = list(rows)
        return Found([Hit(*row[:5]) for row in rows], rows[0][5] if rows else 0)

    def unmatched(self, candidates: list[str]) -> list[str]:
        probe = (
            "EXISTS (SELECT 1 FROM search_document WHERE to_tsvector('english', "
            "title || ' ' || headings || ' ' || body) @@ plainto_tsquery('english', %s))"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([probe] * len(candidates)), candidates)
            found = cursor.fetchone()
        return [w for w, there in zip(candidates, found, strict=True) if not there]

    def vocabulary(self, unknown: list[str]) -> dict[str, list[str]]:
        """Indexed words that share enough trigrams with each unknown word (pg_trgm's ``%``,
        answered from the trigram index of migration 0003)."""
        parts, params = [], []
        for n, word in enumerate(unknown):
            parts.append(
                "(SELECT %s, word FROM search_word WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC LIMIT 30)"
            )
            params += [n, word, word]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        near: dict[str, list[str]] = {word: [] for word in unknown}
        for n, word in rows:
            near[unknown[n]].append(word)
        return near


def backend():
    return PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()


# --- Best bets, what the public may see, and the order of the list ------------------------


def _best_bets(query: str) -> list[Hit]:
    """The pages staff pinned for this query, or for a run of its words ("cost" for "how much
    does it cost"), with their titles and openings: one query."""
    meaningful = best_bet_key(query).split()
    runs = {
        " ".join(meaningful[i : i + n])
        for n in range(1, MAX_PHRASE_WORDS + 1)
        for i in range(len(meaningful) - n + 1)
    }
    if not runs:
        return []
    kind = Case(
        *[When(**{f"{name}__isnull": False}, then=Value(name)) for name in BestBet.TARGETS],
        output_field=CharField(),
    )
    document = Document.objects.filter(kind=OuterRef("_kind"), object_id=OuterRef("_oid"))
    rows = (
        BestBet.objects.filter(query_key__in=runs)
        .annotate(
            _kind=kind,
            _oid=Coalesce(*[f"{name}_id" for name in BestBet.TARGETS], output_field=IntegerField()),
        )
        .annotate(
            _title=Subquery(document.values("title")[:1]),
            _opening=Subquery(document.annotate(o=Substr("body", 1, 240)).values("o")[:1]),
        )
        .order_by("position", "pk")
        .values_list("_kind", "_oid", "_title", "_opening")
    )
    bets = []
    for kind_name, object_id, title, opening in rows:
        if title is None:  # not indexed: not public
            continue
        snippet = opening if len(opening) < 240 else opening.rsplit(" ", 1)[0] + " …"
        bets.append(Hit(kind_name, object_id, title, snippet, 0.0, pinned=True))
    return bets


def _public(hits: list[Hit]) -> list[Hit]:
    """The hits whose item the public may see today, with their addresses filled in: one
    query (a UNION over the kinds found), so a results page stays within its query budget."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        if hit.kind in BY_KIND:
            wanted.setdefault(hit.kind, []).append(hit.object_id)
    if not wanted:
        return []
    parts = []
    for kind, ids in wanted.items():
        position = "position" if kind == Document.Kind.ARTICLE else Value(0)
        parts.append(
            BY_KIND[kind]
            .public()
            .filter(pk__in=ids)
            .order_by()
            .annotate(_kind=Value(kind, output_field=CharField()))
            .annotate(_position=Coalesce(position, Value(0), output_field=IntegerField()))
            .values_list("_kind", "pk", "slug", "_position")
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found = {
        (kind, pk): (BY_KIND[kind].model(pk=pk, slug=slug).get_absolute_url(), position)
        for kind, pk, slug, position in rows
    }
    shown = []
    for hit in hits:
        if (hit.kind, hit.object_id) in found:
            hit.url, hit.position = found[(hit.kind, hit.object_id)]
            hit.kind_label = Document.Kind(hit.kind).label
            shown.append(hit)
    return shown


def _ordered(hits: list[Hit], *, broad: bool) -> list[Hit]:
    if broad:
        # A word most pages use: the main articles with it in their title, in reading order,
        # before the pages that only mention it.
        lead = sorted(
            (h for h in hits if h.kind == Document.Kind.ARTICLE and START in h.title),
            key=lambda h: h.position,
        )
        hits = lead + [h for h in hits if h not in lead]
    head: list[Hit] = []
    rest: list[Hit] = []
    for hit in hits:
        same_page = sum(1 for h in head if h.page == hit.page)
        (head if len(head) < SPREAD and same_page < MAX_SAME_PAGE else rest).append(hit)
    return head + rest


def search(raw_query: str | None, *, limit: int = MAX_RESULTS, literal: bool = False) -> Results:
    """Search the public pages. ``literal``: never correct the spelling of the words."""
    query = clean_query(raw_query)
    results = Results(
        query=query,
        truncated=len(_normalised(raw_query)) > MAX_QUERY_LENGTH,
        crisis=suggests_crisis(query),
    )
    the_plan = plan(query)
    if not the_plan.groups:
        return results
    engine = backend()
    found = engine.search(the_plan, every=True, limit=limit)
    if not found.hits and not literal:
        corrected = spelling.correct(the_plan, query, engine)
        if corrected is not None:
            retry = engine.search(corrected.plan, every=True, limit=limit)
            if retry.hits:
                found, results.corrected = retry, corrected.query
    if not found.hits and len(the_plan.alternatives) > 1:
        found = engine.search(the_plan, every=False, limit=limit)
        results.partial = bool(found.hits)
    bets = _best_bets(query)
    pinned = {(b.kind, b.object_id) for b in bets}
    hits = _public(bets + [h for h in found.hits if (h.kind, h.object_id) not in pinned])
    shown_bets = [h for h in hits if h.pinned]
    # Broad: the query matches half the pages or more (or fills the list).
    broad = bool(found.hits) and len(found.hits) * 2 >= min(found.documents, limit)
    results.hits = shown_bets + _ordered([h for h in hits if not h.pinned], broad=broad)
    return results
