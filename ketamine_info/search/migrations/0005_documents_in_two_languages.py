"""Documents in English and Spanish.

- Every document records its item's language.
- SQLite: the FTS5 index over search_document already folds accents away
  (``unicode61 remove_diacritics 2``, migration 0001), so "anestesico" finds "anestésico"; its
  triggers are made again (adding the column remakes the table, and a remade table loses
  them). The vocabulary for "did you mean" is split in two, one FTS5 index per language
  (contentless, words only, accents folded), so a Spanish reader is offered Spanish words.
- PostgreSQL: the unaccent extension and a text search configuration ``spanish_unaccent``
  (PostgreSQL's ``spanish``, with accents taken off before stemming) for Spanish documents;
  English documents keep ``english``. The vocabulary table gains a language column.
"""

import importlib

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

VendorSQL = importlib.import_module("ketamine_info.search.migrations.0001_initial").VendorSQL

TRIGGERS = ["search_document_ai", "search_document_ad", "search_document_au"]


def _words(language: str, row: str, *, delete: bool = False) -> str:
    """Copy a row's words into (or, with ``delete``, out of) its language's vocabulary."""
    table = f"search_word_{language}_fts"
    test = "= 'es'" if language == "es" else "<> 'es'"
    command = f"'delete', {row}.id" if delete else f"{row}.id"
    columns = f"{table}, rowid" if delete else "rowid"
    return (
        f"INSERT INTO {table}({columns}, title, headings, body) "
        f"SELECT {command}, {row}.title, {row}.headings, {row}.body WHERE {row}.language {test};"
    )


def _vocabulary(language: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE search_word_{language}_fts USING fts5(
            title, headings, body, content='',
            tokenize='unicode61 remove_diacritics 2', detail=none
        )""",
        f"CREATE VIRTUAL TABLE search_word_{language}_vocab "
        f"USING fts5vocab(search_word_{language}_fts, 'row')",
    ]


DROP_SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    "DROP TABLE IF EXISTS search_word_en_vocab",
    "DROP TABLE IF EXISTS search_word_es_vocab",
    "DROP TABLE IF EXISTS search_word_en_fts",
    "DROP TABLE IF EXISTS search_word_es_fts",
    "DROP TABLE IF EXISTS search_word_vocab",
    "DROP TABLE IF EXISTS search_word_fts",
]

SQLITE = [
    *DROP_SQLITE,
    *_vocabulary("en"),
    *_vocabulary("es"),
    f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_document_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
        {_words("en", "new")}
        {_words("es", "new")}
    END""",
    f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
        {_words("en", "old", delete=True)}
        {_words("es", "old", delete=True)}
    END""",
    f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
        {_words("en", "old", delete=True)}
        {_words("es", "old", delete=True)}
        INSERT INTO search_document_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
        {_words("en", "new")}
        {_words("es", "new")}
    END""",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
    *(
        f"INSERT INTO search_word_{language}_fts(rowid, title, headings, body) "
        f"SELECT id, title, headings, body FROM search_document WHERE language {test}"
        for language, test in (("en", "<> 'es'"), ("es", "= 'es'"))
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
        UnaccentExtension(),
        VendorSQL("sqlite", SQLITE, reverse_sql=SQLITE_BACK),
        VendorSQL("postgresql", POSTGRESQL, reverse_sql=POSTGRESQL_BACK),
    ]
