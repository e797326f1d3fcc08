-- Events become derived data, keyed by extractor version: which `name@version` coded which
-- canonical article, and whether it failed. An article is coded again when no row of the
-- current version names it (`newsflow extract`), and a new version's rows replace the old.

CREATE TABLE extractions (
    article_id    VARCHAR NOT NULL,
    story_id      VARCHAR NOT NULL,
    extractor     VARCHAR NOT NULL,   -- name@version
    status        VARCHAR NOT NULL,   -- ok | error
    error         VARCHAR,            -- the exception's type and message, for status error
    n_events      INTEGER NOT NULL,
    run_id        VARCHAR,
    extracted_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The events a database already holds were extracted in the transaction that stored their
-- article: one `ok` row for each article and extractor that left events or entities.
INSERT INTO extractions
SELECT
    k.article_id,
    a.story_id,
    k.extractor,
    'ok',
    NULL,
    coalesce(e.n_events, 0),
    coalesce(e.run_id, a.run_id),
    coalesce(e.extracted_at, a.ingested_at)
FROM (
    SELECT DISTINCT article_id, extractor FROM events
    UNION
    SELECT DISTINCT article_id, extractor FROM entities
) k
JOIN articles a USING (article_id)
LEFT JOIN (
    SELECT article_id, extractor, count(*) AS n_events, any_value(run_id) AS run_id, max(extracted_at) AS extracted_at
    FROM events
    GROUP BY ALL
) e USING (article_id, extractor);

-- A run is an ingest (sources to articles, then events) or an extract (events of stored articles).
ALTER TABLE runs ADD COLUMN flow VARCHAR DEFAULT 'ingest';
ALTER TABLE runs ADD COLUMN extractor VARCHAR;
ALTER TABLE runs ADD COLUMN n_extracted BIGINT DEFAULT 0;
ALTER TABLE runs ADD COLUMN n_extract_errors BIGINT DEFAULT 0;
