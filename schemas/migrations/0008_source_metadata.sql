-- Keep what the source gave: who wrote an article, and where its text came from. Live sources
-- count the pages they stopped trying. Rows stored before this migration have NULL in each new
-- column of `articles` (not known then); runs before it have NULL counts.

ALTER TABLE articles ADD COLUMN authors VARCHAR[];     -- as the source names them (feed, JSON-LD, <meta>, record); [] for none
ALTER TABLE articles ADD COLUMN text_from VARCHAR;     -- 'page': the document's own text; 'feed': a feed entry's title and summary
ALTER TABLE runs ADD COLUMN n_upgraded INTEGER;        -- stored feed-text articles whose page's text replaced it in this run
ALTER TABLE runs ADD COLUMN n_given_up INTEGER;        -- inputs whose page was given up after max_attempts runs
