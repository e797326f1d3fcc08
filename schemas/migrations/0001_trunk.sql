-- The trunk: articles, runs, rejects and source cursors.
-- No primary keys on append tables: they slow bulk loads several times; ids are deterministic
-- and the writer checks them in the same transaction that appends.

CREATE TABLE articles (
    article_id          VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,
    uri                 VARCHAR NOT NULL,
    outlet              VARCHAR,
    title               VARCHAR,
    published_at        TIMESTAMP,
    published_precision VARCHAR NOT NULL,
    language            VARCHAR,
    text                VARCHAR NOT NULL,
    content_hash        VARCHAR NOT NULL,
    word_count          INTEGER NOT NULL,
    size_bytes          BIGINT,
    encoding            VARCHAR,
    run_id              VARCHAR NOT NULL,
    ingested_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE runs (
    run_id        VARCHAR PRIMARY KEY,
    flow_run_id   VARCHAR,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE,
    status        VARCHAR NOT NULL,
    n_seen        BIGINT NOT NULL DEFAULT 0,
    n_new         BIGINT NOT NULL DEFAULT 0,
    n_duplicates  BIGINT NOT NULL DEFAULT 0,
    n_rejected    BIGINT NOT NULL DEFAULT 0,
    n_events      BIGINT NOT NULL DEFAULT 0,
    sources       VARCHAR[],
    error         VARCHAR
);

CREATE TABLE rejects (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    uri         VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    detail      VARCHAR,
    size_bytes  BIGINT,
    "at"        TIMESTAMP WITH TIME ZONE NOT NULL  -- AT is a keyword: write "at" in SQL
);

CREATE TABLE source_state (
    source      VARCHAR PRIMARY KEY,
    cursor      JSON,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
