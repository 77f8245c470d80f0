"""Documents in English and Spanish.

- Every document records its item's language.
- SQLite: one FTS5 index per language instead of one for all, so that each language's
  ranking (bm25, which weighs a word by how few documents have it) is not changed by the
  other's pages; accents folded away as before (``unicode61 remove_diacritics 2``), so
  "anestesico" finds "anestésico". The vocabulary for "did you mean" is split the same way, so
  a Spanish reader is offered Spanish words. Triggers keep them all current (made again here:
  adding the column remakes the table, and a remade table loses its triggers).
- PostgreSQL: the unaccent extension and a text search configuration ``spanish_unaccent``
  (PostgreSQL's ``spanish``, with accents taken off before stemming) for Spanish documents;
  English documents keep ``english``. The vocabulary table gains a language column.
"""

import importlib

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

VendorSQL = importlib.import_module("ketamine_info.search.migrations.0001_initial").VendorSQL


class Unaccent(UnaccentExtension):
    """The unaccent extension on PostgreSQL; nothing elsewhere, either way (Django's own
    operation asks every database about PostgreSQL's extensions when going back)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

TRIGGERS = ["search_document_ai", "search_document_ad", "search_document_au"]
LANGUAGES = {"en": "<> 'es'", "es": "= 'es'"}  # which rows each language's indexes hold
# Spanish words are stemmed by the same Porter stemmer: it only takes off endings such as
# "-s" and "-es" from Spanish words ("sesiones" and "sesión" meet), which the Spanish patient
# query set measures; no FTS5 tokenizer for Spanish ships with SQLite.
TOKENIZE = {
    "document": "porter unicode61 remove_diacritics 2",
    "word": "unicode61 remove_diacritics 2",
}


def _copy(index: str, language: str, row: str, *, delete: bool = False) -> str:
    """Copy a row into (or, with ``delete``, out of) one of its language's indexes."""
    table = f"search_{index}_{language}_fts"
    command = f"'delete', {row}.id" if delete else f"{row}.id"
    columns = f"{table}, rowid" if delete else "rowid"
    return (
        f"INSERT INTO {table}({columns}, title, headings, body) SELECT {command}, {row}.title, "
        f"{row}.headings, {row}.body WHERE {row}.language {LANGUAGES[language]};"
    )


def _each(row: str, *, delete: bool = False) -> str:
    return "\n".join(
        _copy(index, language, row, delete=delete)
        for index in TOKENIZE
        for language in LANGUAGES
    )


def _tables(language: str) -> list[str]:
    """A language's ranked index (its rows' text read from search_document, for snippets) and
    its vocabulary (contentless, words only)."""
    return [
        f"""CREATE VIRTUAL TABLE search_document_{language}_fts USING fts5(
            title, headings, body,
            content='search_document', content_rowid='id',
            tokenize='{TOKENIZE["document"]}'
        )""",
        f"""CREATE VIRTUAL TABLE search_word_{language}_fts USING fts5(
            title, headings, body, content='',
            tokenize='{TOKENIZE["word"]}', detail=none
        )""",
        f"CREATE VIRTUAL TABLE search_word_{language}_vocab "
        f"USING fts5vocab(search_word_{language}_fts, 'row')",
    ]


DROP_SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    *(
        f"DROP TABLE IF EXISTS {table}"
        for language in LANGUAGES
        for table in (
            f"search_word_{language}_vocab",
            f"search_word_{language}_fts",
            f"search_document_{language}_fts",
        )
    ),
    "DROP TABLE IF EXISTS search_word_vocab",
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TABLE IF EXISTS search_document_fts",
]

SQLITE = [
    *DROP_SQLITE,
    *(sql for language in LANGUAGES for sql in _tables(language)),
    f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        {_each("new")}
    END""",
    f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        {_each("old", delete=True)}
    END""",
    f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        {_each("old", delete=True)}
        {_each("new")}
    END""",
    *(
        f"INSERT INTO search_{index}_{language}_fts(rowid, title, headings, body) "
        f"SELECT id, title, headings, body FROM search_document WHERE language {test}"
        for index in TOKENIZE
        for language, test in LANGUAGES.items()
    ),
]

# Migration 0001's triggers and single vocabulary, for going back.
SQLITE_BACK = [
    *DROP_SQLITE,
    *(
        sql
        for sql in importlib.import_module("ketamine_info.search.migrations.0001_initial").SQLITE
        if not sql.startswith("DROP")
    ),
]

POSTGRESQL = [
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'spanish_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION spanish_unaccent (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION spanish_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$""",
    "ALTER TABLE search_word ADD COLUMN language varchar(2) NOT NULL DEFAULT 'en'",
    "ALTER TABLE search_word DROP CONSTRAINT search_word_pkey",
    "ALTER TABLE search_word ADD PRIMARY KEY (language, word)",
    """CREATE OR REPLACE FUNCTION search_word_collect() RETURNS trigger AS $$
    BEGIN
        INSERT INTO search_word (language, word)
        SELECT NEW.language, lexeme FROM unnest(to_tsvector('simple', CASE
            WHEN NEW.language = 'es'
            THEN unaccent(NEW.title || ' ' || NEW.headings || ' ' || NEW.body)
            ELSE NEW.title || ' ' || NEW.headings || ' ' || NEW.body END))
        WHERE length(lexeme) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    "DELETE FROM search_word",
    """INSERT INTO search_word (language, word)
        SELECT DISTINCT language, lexeme FROM search_document,
            unnest(to_tsvector('simple', CASE WHEN language = 'es'
                THEN unaccent(title || ' ' || headings || ' ' || body)
                ELSE title || ' ' || headings || ' ' || body END))
        WHERE length(lexeme) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING""",
]
POSTGRESQL_BACK = [
    """CREATE OR REPLACE FUNCTION search_word_collect() RETURNS trigger AS $$
    BEGIN
        INSERT INTO search_word (word)
        SELECT lexeme FROM unnest(to_tsvector('simple',
            NEW.title || ' ' || NEW.headings || ' ' || NEW.body))
        WHERE length(lexeme) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    "DELETE FROM search_word WHERE language <> 'en'",
    "ALTER TABLE search_word DROP CONSTRAINT search_word_pkey",
    "ALTER TABLE search_word DROP COLUMN language",
    "ALTER TABLE search_word ADD PRIMARY KEY (word)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS spanish_unaccent",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_missed_searches"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish")],
                default="en",
                help_text="The item's language: a search lists the reader's language first, "
                "and each language is matched with its own stemming (and Spanish without its "
                "accents).",
                max_length=2,
            ),
        ),
        Unaccent(),
        VendorSQL("sqlite", SQLITE, reverse_sql=SQLITE_BACK),
        VendorSQL("postgresql", POSTGRESQL, reverse_sql=POSTGRESQL_BACK),
    ]
