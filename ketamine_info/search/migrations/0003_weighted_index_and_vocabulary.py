"""The index gets a middle-weight column (headings, aliases), and each database a vocabulary of
the words the pages use, for "did you mean":

- SQLite: the FTS5 index is rebuilt with the columns title, headings, body; a second FTS5 index
  without stemming (detail=none: words only, no positions) feeds an fts5vocab table listing
  every indexed word. Triggers keep both current, as in 0001.
- PostgreSQL: pg_trgm, and a table of words filled by a trigger from to_tsvector('simple', …)
  of every inserted or updated document, with a trigram index for close matches.
"""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL for one database vendor only."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_word_vocab",
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TABLE IF EXISTS search_document_fts",
]

SQLITE = [
    *DROP_SQLITE,
    """CREATE VIRTUAL TABLE search_document_fts USING fts5(
        title, headings, body,
        content='search_document', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE VIRTUAL TABLE search_word_fts USING fts5(
        title, headings, body,
        content='search_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', detail=none
    )""",
    "CREATE VIRTUAL TABLE search_word_vocab USING fts5vocab(search_word_fts, 'row')",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_document_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
        INSERT INTO search_word_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
    END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
        INSERT INTO search_word_fts(search_word_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
    END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
        INSERT INTO search_word_fts(search_word_fts, rowid, title, headings, body)
        VALUES ('delete', old.id, old.title, old.headings, old.body);
        INSERT INTO search_document_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
        INSERT INTO search_word_fts(rowid, title, headings, body)
        VALUES (new.id, new.title, new.headings, new.body);
    END""",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
    "INSERT INTO search_word_fts(search_word_fts) VALUES ('rebuild')",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_word (word text PRIMARY KEY)",
    "CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
    """CREATE FUNCTION search_word_collect() RETURNS trigger AS $$
    BEGIN
        INSERT INTO search_word (word)
        SELECT lexeme FROM unnest(to_tsvector('simple',
            NEW.title || ' ' || NEW.headings || ' ' || NEW.body))
        WHERE length(lexeme) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_document_words AFTER INSERT OR UPDATE ON search_document
        FOR EACH ROW EXECUTE FUNCTION search_word_collect()""",
    """INSERT INTO search_word (word)
        SELECT DISTINCT lexeme FROM search_document,
            unnest(to_tsvector('simple', title || ' ' || headings || ' ' || body))
        WHERE length(lexeme) BETWEEN 3 AND 40
        ON CONFLICT DO NOTHING""",
]
DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS search_document_words ON search_document",
    "DROP FUNCTION IF EXISTS search_word_collect()",
    "DROP TABLE IF EXISTS search_word",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_synonyms_best_bets_headings"),
    ]

    operations = [
        VendorSQL("sqlite", SQLITE, reverse_sql=DROP_SQLITE),
        VendorSQL("postgresql", POSTGRESQL, reverse_sql=DROP_POSTGRESQL),
    ]
