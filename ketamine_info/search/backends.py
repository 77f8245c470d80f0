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

Two languages: each document carries its item's language, and a search lists the reader's
language (the page's, /es/… for Spanish) first, then the other's, each ranked in its own index
(SQLite) or with its own configuration (PostgreSQL: 'english', or 'spanish' with unaccent).
Accents never matter ("anestesico" finds "anestésico"); "did you mean" offers the words of the
reader's language first.

Snippets and titles come back with the matched words in ``<mark>``: the text is HTML-escaped
first and only the marks this module adds are markup. A search costs a handful of queries, each
answered from an index or a small table, never a loop over every row in Python.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import spelling
from .crisis import suggests_crisis
from .documents import BY_KIND
from .models import BestBet, Document
from .query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    STOP_WORDS,
    Alternative,
    Group,
    Plan,
    best_bet_key,
    clean_query,
    normalised,
    phrase_key,
    words,
)

MAX_RESULTS = 50
# Synonym phrases are looked up among the query's runs of 1 to MAX_PHRASE_WORDS words.
MAX_PHRASE_WORDS = 4
# Fewer pages than this with every word: pages with some of the words follow them.
FEW = 3
# Among the first SPREAD results, at most MAX_SAME_PAGE come from one page (the FAQ page).
SPREAD, MAX_SAME_PAGE = 5, 2
# Match markers inside snippets; documents.plain() keeps them out of indexed text.
START, STOP = "\x02", "\x03"


def marked(text: str) -> SafeString:
    """Escape ``text`` and turn the START/STOP markers around matches into ``<mark>``."""
    escaped = escape(text)
    html = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)


# --- What the public may see ------------------------------------------------------------

_SLUG = "slug-stand-in"


@functools.cache
def _public_sql(document: str) -> tuple[str, str, tuple]:
    """SQL for two columns of a document row (``document`` is its table or alias): the slug of
    its item when ``.published()`` has it, else NULL; and an article's reading position.

    Built once per process from each model's own ``.published()`` queryset, so the rules stay
    in one place; each is a primary-key lookup made only for the rows a search matched. This
    keeps a results page within its query budget: no separate query to check what is public.
    """
    cases, params = [], []
    for kind, entry in BY_KIND.items():
        queryset = entry.public().order_by().values("slug")
        sql, sql_params = queryset.query.sql_with_params()
        meta = entry.model._meta
        where = f'"{meta.db_table}"."{meta.pk.column}" = {document}.object_id'
        sql += (" AND " if " WHERE " in sql else " WHERE ") + where
        cases.append(f"WHEN {document}.kind = %s THEN ({sql})")
        params += [kind, *sql_params]
    slug = "CASE " + " ".join(cases) + " END"
    article = BY_KIND[Document.Kind.ARTICLE].model._meta
    position = (
        f"CASE WHEN {document}.kind = 'article' THEN (SELECT position FROM "  # noqa: S608
        f'"{article.db_table}" WHERE "{article.db_table}"."{article.pk.column}" = '
        f"{document}.object_id) ELSE 0 END"
    )
    return slug, position, tuple(params)


@functools.cache
def _address_pattern(kind: str, language: str) -> str:
    # Made once per kind and language with a stand-in slug: building a model instance per hit
    # just to ask for its address was much of a search's time. The item's own address, in its
    # own language (the model's language, or the active one, decides its prefix and path).
    model = BY_KIND[kind].model
    fields = {"slug": _SLUG}
    if any(f.name == "language" for f in model._meta.concrete_fields):
        fields["language"] = language
    with translation.override(language):
        return model(**fields).get_absolute_url()


def _with_address(hit: Hit, slug: str) -> Hit:
    hit.url = _address_pattern(hit.kind, hit.language).replace(_SLUG, slug)
    hit.kind_label = Document.Kind(hit.kind).label
    return hit


# --- Planning: words, synonyms ----------------------------------------------------------


def _runs(tokens: list[str]) -> set[str]:
    """Every run of 1 to MAX_PHRASE_WORDS consecutive words."""
    return {
        " ".join(tokens[i : i + n])
        for n in range(1, MAX_PHRASE_WORDS + 1)
        for i in range(len(tokens) - n + 1)
    }


def _tokens(query: str) -> list[str]:
    return phrase_key(query).split()[: MAX_TERMS * 2]


@dataclass
class Lookup:
    terms: dict[str, list[str]]  # a synonym phrase in the query → the terms it stands for
    bets: list[Hit]  # public pages staff pinned for the query, in order


def lookup(query: str) -> Lookup:
    """The synonyms and best bets for the words of a query, in one indexed query. (The SQL
    built here holds only table and column names from the models and %s placeholders.)"""
    synonym_runs = sorted(_runs(_tokens(query)))
    bet_runs = sorted(_runs(best_bet_key(query).split()))
    if not synonym_runs:
        return Lookup({}, [])
    slug, _, slug_params = _public_sql("d")
    target_kind = " ".join(
        f"WHEN b.{name}_id IS NOT NULL THEN '{name}'" for name in BestBet.TARGETS
    )
    target_id = ", ".join(f"b.{name}_id" for name in BestBet.TARGETS)
    sql = (
        "SELECT 's', p.phrase, s.term, '', 0, 0, '', '' FROM search_synonymphrase AS p "  # noqa: S608
        "JOIN search_synonym AS s ON s.id = p.synonym_id "
        f"WHERE p.phrase IN ({', '.join(['%s'] * len(synonym_runs))})"
    )
    params = list(synonym_runs)
    if bet_runs:
        sql += (
            " UNION ALL "  # noqa: S608
            f"SELECT 'b', d.kind, d.title, substr(d.body, 1, 240), d.object_id, b.position, "
            f"{slug}, d.language FROM search_bestbet AS b JOIN search_document AS d "
            f"ON d.kind = CASE {target_kind} END AND d.object_id = COALESCE({target_id}) "
            f"WHERE b.query_key IN ({', '.join(['%s'] * len(bet_runs))})"
        )
        params += [*slug_params, *bet_runs]
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY 1, 6, 5", params)
        rows = cursor.fetchall()
    terms: dict[str, list[str]] = {}
    bets: list[Hit] = []
    for tag, a, b, opening, object_id, _, public_slug, language in rows:
        if tag == "s":
            terms.setdefault(a, []).append(b)
        elif public_slug and (a, object_id) not in {(h.kind, h.object_id) for h in bets}:
            snippet = opening if len(opening) < 240 else opening.rsplit(" ", 1)[0] + " …"
            hit = Hit(a, object_id, b, snippet, 0.0, pinned=True, language=language)
            bets.append(_with_address(hit, public_slug))
    return Lookup(terms, bets)


def plan(query: str, terms: dict[str, list[str]] | None = None) -> Plan:
    """Split the query into groups, each word or synonym phrase with what it stands for."""
    tokens = _tokens(query)
    terms = lookup(query).terms if terms is None else terms
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
    language: str = "en"  # the item's

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
    language: str = "en"  # the reader's: results in another are marked with their own


@dataclass
class Found:
    hits: list[Hit]  # the reader's language first, each language best first
    documents: int  # how many documents in the reader's language, to tell a broad query


LANGUAGES = tuple(Document.Language.values)
# Near words for each unknown word, by language: {"es": {"secundaros": ["secundarios", …]}}.
Vocabulary = dict[str, dict[str, list[str]]]


def _vocabulary(unknown: list[str], rows) -> Vocabulary:
    near: Vocabulary = {language: {word: [] for word in unknown} for language in LANGUAGES}
    for n, language, term in rows:
        near[language][unknown[n]].append(term)
    return near


# SQLite: one language's matches; {slug} and {position} come from _public_sql("d"): a row whose
# item is not public has no slug and is left out.
_SQLITE_ONE = """
    SELECT * FROM (
        SELECT d.kind, d.object_id,
               highlight({fts}, 0, %s, %s),
               snippet({fts}, 2, %s, %s, '…', 30),
               bm25({fts}, 10.0, 4.0, 1.0) AS rank,
               (SELECT count(*) FROM search_document WHERE language = %s),
               {slug}, {position}, d.language, d.language <> %s AS other
        FROM {fts}
        JOIN search_document AS d ON d.id = {fts}.rowid
        WHERE {fts} MATCH %s AND ({slug}) IS NOT NULL
        ORDER BY rank
        LIMIT %s
    )
"""
# Every language's, the reader's first, each best first. (Table names from LANGUAGES only.)
_SQLITE_SQL = (
    " UNION ALL ".join(
        _SQLITE_ONE.replace("{fts}", f"search_document_{language}_fts") for language in LANGUAGES
    )
    + " ORDER BY other, rank LIMIT %s"
)
# Whether a word is in any document, of either language: 0 when in none.
_SQLITE_PROBES = [
    f"(SELECT count(*) FROM (SELECT 1 FROM search_document_{language}_fts "  # noqa: S608
    f"WHERE search_document_{language}_fts MATCH %s LIMIT 1))"
    for language in LANGUAGES
]
_SQLITE_PROBE = "(" + " + ".join(_SQLITE_PROBES) + ")"


class SQLiteBackend:
    """FTS5, one index per language (migration 0005): bm25, title 10, headings 4, body 1;
    accents folded away (``remove_diacritics 2``). Each language is ranked in its own index,
    so neither language's pages change how the other's rank."""

    SQL = _SQLITE_SQL
    PROBE = _SQLITE_PROBE

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

    def search(self, plan: Plan, *, every: bool, limit: int, language: str = "en") -> Found:
        slug, position, slug_params = _public_sql("d")
        sql = self.SQL.format(slug=slug, position=position)
        match = self.match_expression(plan, every=every)
        one = [START, STOP, START, STOP, language, *slug_params, language, match, *slug_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*[*one, limit] * len(LANGUAGES), limit])
            rows = cursor.fetchall()
        # bm25() is lower for better matches; flip it so that higher is better everywhere.
        hits = [
            _with_address(Hit(kind, oid, title, snip, -rank, position=pos, language=lang), slug)
            for kind, oid, title, snip, rank, _, slug, pos, lang, _ in rows
        ]
        return Found(hits, rows[0][5] if rows else 0)

    def unmatched(self, candidates: list[str]) -> list[str]:
        """The words, of ``candidates``, that no document contains (in one query)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join([self.PROBE] * len(candidates)),
                [self.quoted(w) for w in candidates for _ in LANGUAGES],
            )
            found = cursor.fetchone()
        return [w for w, n in zip(candidates, found, strict=True) if not n]

    def vocabulary(self, unknown: list[str]) -> Vocabulary:
        """Indexed words near each unknown word in length and sharing its first letter, per
        language: each language's fts5vocab table (migration 0005) answers a range of terms
        from its index's own sorted term list."""
        parts, params = [], []
        for n, word in enumerate(unknown):
            for language in LANGUAGES:
                parts.append(
                    f"SELECT %s, %s, term FROM search_word_{language}_vocab "  # noqa: S608
                    "WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s"
                )
                first = word[0]
                params += [n, language, first, first + "\U0010ffff", len(word) - 2, len(word) + 2]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        return _vocabulary(unknown, rows)


class PostgreSQLBackend:
    """to_tsvector/plainto_tsquery, ts_rank, ts_headline; title weight A, headings B, body D.
    Each document with its language's configuration: 'english', or for Spanish
    'spanish_unaccent' (PostgreSQL's 'spanish' with accents taken off first, migration 0005);
    the query is read with the same configuration as each document it is compared with."""

    CONFIGS = {"en": "english", "es": "spanish_unaccent"}

    @classmethod
    def config(cls):
        """The configuration of the row's language, as an expression."""
        from django.db.models import Case, Value, When

        return Case(
            *(When(language=lang, then=Value(cfg)) for lang, cfg in cls.CONFIGS.items()),
            default=Value(cls.CONFIGS["en"]),
        )

    def query(self, plan: Plan, *, every: bool):
        from django.contrib.postgres.search import SearchQuery

        def alternative(words: Alternative):
            # plainto_tsquery accepts any text without a syntax error, by design.
            return SearchQuery(" ".join(words), search_type="plain", config=self.config())

        def either(alternatives):
            return reduce(lambda a, b: a | b, map(alternative, alternatives))

        if not every:
            return either(plan.alternatives)
        return reduce(lambda a, b: a & b, (either(group) for group in plan.groups))

    def vector(self):
        from django.contrib.postgres.search import SearchVector

        return (
            SearchVector("title", weight="A", config=self.config())
            + SearchVector("headings", weight="B", config=self.config())
            + SearchVector("body", weight="D", config=self.config())
        )

    def search(self, plan: Plan, *, every: bool, limit: int, language: str = "en") -> Found:
        from django.contrib.postgres.search import SearchHeadline, SearchRank
        from django.db.models import Case, Value, When
        from django.db.models.expressions import RawSQL

        search_query = self.query(plan, every=every)
        vector = self.vector()
        slug, position, slug_params = _public_sql('"search_document"')
        marks = {"start_sel": START, "stop_sel": STOP, "config": self.config()}
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
                documents=RawSQL(
                    "SELECT count(*) FROM search_document WHERE language = %s", [language]
                ),
                slug=RawSQL(slug, slug_params),  # noqa: S611
                position=RawSQL(position, ()),  # noqa: S611
                other_language=Case(When(language=language, then=Value(0)), default=Value(1)),
            )
            .filter(slug__isnull=False)
            .order_by("other_language", "-rank", "kind", "object_id")
            .values_list(
                "kind",
                "object_id",
                "title_marked",
                "snippet",
                "rank",
                "documents",
                "slug",
                "position",
                "language",
            )[:limit]
        )
        rows = list(rows)
        hits = [
            _with_address(Hit(*row[:5], position=row[7], language=row[8]), row[6]) for row in rows
        ]
        return Found(hits, rows[0][5] if rows else 0)

    def unmatched(self, candidates: list[str]) -> list[str]:
        # Each document's own configuration, as in search() (names from CONFIGS only).
        whens = " ".join(f"WHEN '{lang}' THEN '{cfg}'" for lang, cfg in self.CONFIGS.items())
        config = f"(CASE language {whens} ELSE 'english' END)::regconfig"
        probe = (
            f"EXISTS (SELECT 1 FROM search_document WHERE to_tsvector({config}, "  # noqa: S608
            f"title || ' ' || headings || ' ' || body) @@ plainto_tsquery({config}, %s))"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([probe] * len(candidates)), candidates)
            found = cursor.fetchone()
        return [w for w, there in zip(candidates, found, strict=True) if not there]

    def vocabulary(self, unknown: list[str]) -> Vocabulary:
        """Indexed words that share enough trigrams with each unknown word, per language
        (pg_trgm's ``%``, answered from the trigram index of migration 0001)."""
        parts, params = [], []
        for n, word in enumerate(unknown):
            for language in LANGUAGES:
                parts.append(
                    "(SELECT %s, language, word FROM search_word WHERE language = %s "
                    "AND word %% %s ORDER BY similarity(word, %s) DESC LIMIT 30)"
                )
                params += [n, language, word, word]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        return _vocabulary(unknown, rows)


def backend():
    return PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()


# --- The order of the list ---------------------------------------------------------------


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


def _stem(word: str) -> str:
    return word[: max(4, len(word) - 2)]


def _intents(terms: dict[str, list[str]]) -> list[Alternative]:
    """What the query's phrases of two words or more stand for: "clinic near me" →
    "certified", "does it work" → "how well does it work"; each as the words a title must have
    to answer it. (A single word stands for a topic, not a question: "spravato" is not asking
    for every page with "esketamine" in its title.)"""
    meanings = {
        tuple(words(phrase_key(t)))
        for phrase, found in terms.items()
        if " " in phrase
        for t in found
    }
    return [tuple(map(_stem, m)) for m in meanings if m]


def _answers(hit: Hit, intents: list[Alternative]) -> bool:
    """Whether the hit's title says what one of the query's phrases means: a question asked
    in the patient's words reaches the page whose title asks it in the site's."""
    title = [_stem(w) for w in words(hit.title.replace(START, "").replace(STOP, "").lower())]
    return any(all(any(t.startswith(w) for t in title) for w in m) for m in intents)


def search(
    raw_query: str | None,
    *,
    limit: int = MAX_RESULTS,
    literal: bool = False,
    language: str | None = None,
) -> Results:
    """Search the public pages. ``literal``: never correct the spelling of the words.
    ``language``: the reader's (by default the active language): pages in it come first, then
    the pages in the other language."""
    language = _reader_language(language)
    query = clean_query(raw_query)
    results = Results(
        query=query,
        language=language,
        truncated=len(normalised(raw_query)) > MAX_QUERY_LENGTH,
        crisis=suggests_crisis(query),
    )
    found_words = lookup(query)
    the_plan = plan(query, found_words.terms)
    if not the_plan.groups:
        return results
    engine = backend()
    found = engine.search(the_plan, every=True, limit=limit, language=language)
    if not found.hits and not literal:
        corrected = spelling.correct(the_plan, query, engine, language)
        if corrected is not None:
            retry = engine.search(corrected.plan, every=True, limit=limit, language=language)
            if retry.hits:
                found, results.corrected, the_plan = retry, corrected.query, corrected.plan
    extra: list[Hit] = []
    own = sum(1 for h in found.hits if h.language == language)
    if own < FEW and len(the_plan.alternatives) > 1:
        # Few or no pages have every word: pages with some of them follow (or stand in).
        some = engine.search(the_plan, every=False, limit=limit, language=language)
        seen = {(h.kind, h.object_id) for h in found.hits}
        extra = [h for h in some.hits if (h.kind, h.object_id) not in seen]
        if not found.hits:
            found, extra, results.partial = some, [], bool(some.hits)
    pinned = {(b.kind, b.object_id) for b in found_words.bets}
    # Broad: the query matches half the pages in the reader's language or more (or fills the
    # list).
    own = sum(1 for h in found.hits if h.language == language)
    broad = bool(own) and own * 2 >= min(found.documents, limit)
    ordered = _ordered(found.hits, broad=broad) + extra
    intents = _intents(found_words.terms)
    if intents:
        answering = [h for h in ordered if _answers(h, intents)]
        if not answering and not extra and len(the_plan.alternatives) > 1:
            # The page that answers the question may lack one of its other words ("ketamine
            # clinic near me" and "How do I find a certified esketamine clinic?").
            some = engine.search(the_plan, every=False, limit=limit, language=language)
            answering = [h for h in some.hits if _answers(h, intents)][:FEW]
        first = {(h.kind, h.object_id) for h in answering}
        ordered = answering + [h for h in ordered if (h.kind, h.object_id) not in first]
    rest = [h for h in ordered if (h.kind, h.object_id) not in pinned]
    # The reader's language first (its pinned pages, then the others), then the other
    # language's the same way.
    listed = [h for hits in (found_words.bets, rest) for h in hits]
    listed.sort(key=lambda h: h.language != language)  # stable: keeps the order within each
    if language == Document.Language.ENGLISH and any(h.language == language for h in listed):
        # English is the whole edition: its reader gets translations only when no English page
        # matches. A Spanish reader gets the English pages after the Spanish ones, since a page
        # may not be translated yet.
        listed = [h for h in listed if h.language == language]
    results.hits = listed[:limit]
    return results


def _reader_language(language: str | None) -> str:
    """``language`` or the active one, as one of the documents' languages (else English)."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return code if code in LANGUAGES else Document.Language.ENGLISH
