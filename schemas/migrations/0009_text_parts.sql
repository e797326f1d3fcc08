-- Long texts are kept in parts. DuckDB's checkpoint after each batch rewrites the whole last row
-- group of a table, and holds a text longer than its 256 KiB block whole in memory: a table of
-- texts up to the 5 MB file cap made a run's memory grow with the long texts already stored
-- (`bench.duckdb_strings`). Articles are now stored in `article_rows`, whose `text` is NULL when
-- the text is longer than the store's part size (`store.db.TEXT_PART_CHARS`); such a text is in
-- `text_parts`, one row per part in order. `articles` is a view that puts each text back whole,
-- with the columns and order the table had: SQL on `articles` reads as before. A migration that
-- adds a column to `article_rows` replaces this view too.

ALTER TABLE articles RENAME TO article_rows;
ALTER TABLE article_rows ALTER COLUMN text DROP NOT NULL;

CREATE TABLE text_parts (
    article_id  VARCHAR NOT NULL,
    part        INTEGER NOT NULL,  -- 0, 1, …: the text is the parts joined in this order
    text        VARCHAR NOT NULL
);

INSERT INTO text_parts
SELECT r.article_id, p.part::INTEGER, substr(r.text, p.part * 16384 + 1, 16384)
FROM article_rows r, range(0, (length(r.text) + 16383) // 16384) AS p(part)
WHERE length(r.text) > 16384;

UPDATE article_rows SET text = NULL WHERE length(text) > 16384;

CREATE VIEW articles AS
SELECT r.article_id, r.source, r.uri, r.outlet, r.title, r.published_at, r.published_precision,
       r.language, coalesce(r.text, p.text) AS text, r.content_hash, r.word_count, r.size_bytes,
       r.encoding, r.run_id, r.ingested_at, r.story_id, r.dup_of, r.similarity, r.authors, r.text_from
FROM article_rows r
LEFT JOIN (
    SELECT article_id, string_agg(text, '' ORDER BY part) AS text FROM text_parts GROUP BY article_id
) p USING (article_id);
