-- One event per incident: the sentences of an article that tell an incident again (same type,
-- place and day, no figure of their own) merge into its event, which counts them here.
-- Events stored before this migration were one per sentence: each counts one mention.

ALTER TABLE events ADD COLUMN mentions INTEGER DEFAULT 1;
UPDATE events SET mentions = 1 WHERE mentions IS NULL;
