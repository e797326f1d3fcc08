-- Where an event happened, on the map: the first-level area (state, province, oblast) of its
-- place and the place's coordinates, from the gazetteer's town of that name in that country.
-- NULL where the place is a country or an area, or a settlement the gazetteer does not know.

ALTER TABLE events ADD COLUMN admin1 VARCHAR;
ALTER TABLE events ADD COLUMN latitude DOUBLE;
ALTER TABLE events ADD COLUMN longitude DOUBLE;

-- The claims view gains them too, after the place.
CREATE OR REPLACE VIEW claims AS
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
    e.article_id,
    e.admin1,
    e.latitude,
    e.longitude
FROM event_figures f
JOIN events e USING (event_id)
JOIN articles a ON a.article_id = e.article_id
LEFT JOIN stories s ON s.story_id = e.story_id;
