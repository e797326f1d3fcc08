-- Stories: copies of one story share a story_id; the LSH index finds them as they stream in.

ALTER TABLE articles ADD COLUMN story_id VARCHAR;
ALTER TABLE articles ADD COLUMN dup_of VARCHAR;
ALTER TABLE articles ADD COLUMN similarity DOUBLE;
-- Articles stored before stories existed are stories of their own.
UPDATE articles SET story_id = article_id WHERE story_id IS NULL;

ALTER TABLE runs ADD COLUMN n_copies BIGINT DEFAULT 0;

CREATE TABLE stories (
    story_id              VARCHAR PRIMARY KEY,
    canonical_article_id  VARCHAR NOT NULL,
    title                 VARCHAR,
    first_seen_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    n_articles            BIGINT NOT NULL,
    n_outlets             BIGINT NOT NULL
);

-- Articles stored before stories existed get rows of their own here (they have no fingerprints:
-- nothing is matched to them).
INSERT INTO stories
SELECT article_id, article_id, title, ingested_at, ingested_at, 1, CASE WHEN outlet IS NULL THEN 0 ELSE 1 END
FROM articles;

-- The LSH index: one row per article and band. A batch finds its candidates with one join on
-- band_key. Written in the transaction that appends the articles it describes. article_key is
-- the 64-bit number the hexadecimal article_id spells: half the bytes of the text id, 64 times
-- an article.
CREATE TABLE fingerprints (
    band_key     BIGINT NOT NULL,
    article_key  BIGINT NOT NULL
);

-- What a candidate is confirmed against: its MinHash signature and shingle count.
CREATE TABLE signatures (
    article_key   BIGINT NOT NULL,
    article_id    VARCHAR NOT NULL,
    story_id      VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    n_shingles    INTEGER NOT NULL,
    signature     BLOB NOT NULL
);
