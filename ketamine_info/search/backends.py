"""Full-text search in the database: SQLite FTS5 by default, PostgreSQL's on PostgreSQL.

``search(query)`` is the whole interface. A visitor's query is cut to ``MAX_QUERY_LENGTH``
characters and to its words; nothing they type reaches the database as query syntax, so quotes,
operators, SQL and emoji are only ever text to look for. Pages with all the words come first;
when no page has them all, pages with any of them are shown instead.

Snippets and titles come back with the matched words in ``<mark>``: the text is HTML-escaped
first and only the marks this module adds are markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .documents import BY_KIND
from .models import Document

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
MAX_RESULTS = 50
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


def marked(text: str) -> SafeString:
    """Escape ``text`` and turn the START/STOP markers around matches into ``<mark>``."""
    escaped = escape(text)
    html = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str  # with START/STOP markers
    snippet: str  # with START/STOP markers
    rank: float
    url: str = ""
    kind_label: str = ""

    @property
    def title_html(self) -> SafeString:
        return marked(self.title)

    @property
    def snippet_html(self) -> SafeString:
        return marked(self.snippet)


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False  # the visitor's query was longer than MAX_QUERY_LENGTH
    partial: bool = False  # no page has every word; these have some of them


class SQLiteBackend:
    """FTS5 over search_document (migration 0001): bm25 ranking, title weighted 5 to 1."""

    SQL = """
        SELECT d.kind, d.object_id,
               highlight(search_document_fts, 0, %s, %s),
               snippet(search_document_fts, 1, %s, %s, '…', 30),
               bm25(search_document_fts, 5.0, 1.0) AS rank
        FROM search_document_fts
        JOIN search_document AS d ON d.id = search_document_fts.rowid
        WHERE search_document_fts MATCH %s
        ORDER BY rank
        LIMIT %s
    """

    @staticmethod
    def match_expression(terms: list[str], *, every: bool) -> str:
        # Each word as an FTS5 string: "…" with inner quotes doubled is never an operator.
        quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
        return (" AND " if every else " OR ").join(quoted)

    def search(self, query: str, terms: list[str], *, every: bool, limit: int) -> list[Hit]:
        params = [START, STOP, START, STOP, self.match_expression(terms, every=every), limit]
        with connection.cursor() as cursor:
            cursor.execute(self.SQL, params)
            rows = cursor.fetchall()
        # bm25() is lower for better matches; flip it so that higher is better everywhere.
        return [Hit(kind, oid, title, snippet, -rank) for kind, oid, title, snippet, rank in rows]


class PostgreSQLBackend:
    """to_tsvector/websearch_to_tsquery with the 'english' configuration, ts_rank, ts_headline."""

    CONFIG = "english"

    def search(self, query: str, terms: list[str], *, every: bool, limit: int) -> list[Hit]:
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        if every:
            # websearch_to_tsquery accepts any text without a syntax error, by design.
            search_query = SearchQuery(query, search_type="websearch", config=self.CONFIG)
        else:
            search_query = SearchQuery(terms[0], search_type="plain", config=self.CONFIG)
            for term in terms[1:]:
                search_query |= SearchQuery(term, search_type="plain", config=self.CONFIG)
        vector = SearchVector("title", weight="A", config=self.CONFIG) + SearchVector(
            "body", weight="B", config=self.CONFIG
        )
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
            )
            .order_by("-rank", "kind", "object_id")
            .values_list("kind", "object_id", "title_marked", "snippet", "rank")[:limit]
        )
        return [Hit(*row) for row in rows]


def backend():
    return PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def _public(hits: list[Hit]) -> list[Hit]:
    """The hits whose item the public may see today, with their addresses filled in: one
    query (a UNION over the kinds found), so a results page stays within its query budget."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        if hit.kind in BY_KIND:
            wanted.setdefault(hit.kind, []).append(hit.object_id)
    if not wanted:
        return []
    parts = [
        BY_KIND[kind]
        .public()
        .filter(pk__in=ids)
        .order_by()
        .annotate(_kind=Value(kind, output_field=CharField()))
        .values_list("_kind", "pk", "slug")
        for kind, ids in wanted.items()
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    urls = {
        (kind, pk): BY_KIND[kind].model(pk=pk, slug=slug).get_absolute_url()
        for kind, pk, slug in rows
    }
    shown = []
    for hit in hits:
        url = urls.get((hit.kind, hit.object_id))
        if url is not None:
            hit.url = url
            hit.kind_label = Document.Kind(hit.kind).label
            shown.append(hit)
    return shown


def search(raw_query: str | None, *, limit: int = MAX_RESULTS) -> Results:
    query = clean_query(raw_query)
    results = Results(query=query, truncated=len(_normalised(raw_query)) > MAX_QUERY_LENGTH)
    terms = words(query)
    if not terms:
        return results
    engine = backend()
    results.hits = _public(engine.search(query, terms, every=True, limit=limit))
    if not results.hits and len(terms) > 1:
        results.hits = _public(engine.search(query, terms, every=False, limit=limit))
        results.partial = bool(results.hits)
    return results
