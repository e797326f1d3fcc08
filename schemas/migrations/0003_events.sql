-- Events and entities: who did what to whom, where, when, how many, and who says so.
-- Extracted once per story, from its canonical copy; replaced when a fuller copy becomes canonical.

CREATE TABLE events (
    event_id        VARCHAR NOT NULL,
    story_id        VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    event_type      VARCHAR,
    mode            VARCHAR,
    event_date      DATE,
    date_precision  VARCHAR,
    location        VARCHAR,
    country         VARCHAR,
    actor           VARCHAR,
    target          VARCHAR,
    claimed_by      VARCHAR,
    killed          BIGINT,
    injured         BIGINT,
    troop_count     BIGINT,
    amount          DOUBLE,
    currency        VARCHAR,
    qualifier       VARCHAR,
    evidence        VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    confidence      DOUBLE NOT NULL,
    extractor       VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    extracted_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each number an event states, with its own qualifier: "at least one killed, 26 police officers
-- and four civilians injured" is one event with three figures.
CREATE TABLE event_figures (
    event_id    VARCHAR NOT NULL,
    story_id    VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    counted     VARCHAR NOT NULL,   -- killed | injured | troops | amount
    value       DOUBLE NOT NULL,
    qualifier   VARCHAR,            -- at least | up to | about | more than | less than | almost
    vague       BOOLEAN NOT NULL,   -- "dozens", "hundreds": a conventional value, not a count
    currency    VARCHAR,
    noun        VARCHAR,            -- what the text counts: "police officers", "soldiers"
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL
);

CREATE TABLE entities (
    article_id  VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    canonical   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,   -- person | organisation | place | country
    country     VARCHAR,            -- ISO 3166-1 alpha-3, when known
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL,
    extractor   VARCHAR NOT NULL
);

-- runs.n_events has been in the contract since the first schema; the writer now counts into it.

-- One row per quantity claim: what is counted, how many, who claims it, when, where, in which
-- article of which outlet.
CREATE VIEW claims AS
SELECT
    f.counted,
    f.noun,
    f.value,
    f.qualifier,
    f.vague,
    f.currency,
    e.claimed_by,
    e.event_date,
    e.date_precision,
    e.location,
    e.country,
    e.event_type,
    e.mode,
    e.actor,
    e.target,
    e.evidence,
    a.outlet,
    a.title,
    a.published_at,
    s.n_outlets,
    e.event_id,
    e.story_id,
    e.article_id
FROM event_figures f
JOIN events e USING (event_id)
JOIN articles a ON a.article_id = e.article_id
LEFT JOIN stories s ON s.story_id = e.story_id;

-- Events per day, type and country, with their casualties. Events come from one copy of each
-- story, so a story carried by fifty outlets counts once.
CREATE VIEW events_daily AS
SELECT
    e.event_date AS day,
    e.event_type,
    e.country,
    count(*) AS n_events,
    count(DISTINCT e.story_id) AS n_stories,
    sum(e.killed) AS killed,
    sum(e.injured) AS injured
FROM events e
WHERE e.event_date IS NOT NULL
GROUP BY ALL;
