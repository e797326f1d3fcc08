-- Runs end honestly: a run records the process that runs it and renews a heartbeat while it
-- lives, so a run whose process died (killed, out of memory, the machine gone) is found and
-- marked `interrupted` by the next run or by `newsflow stats`, instead of staying `running`.
-- Runs recorded before this migration have none of these; they are judged by their last write.

ALTER TABLE runs ADD COLUMN host VARCHAR;             -- the machine's host name
ALTER TABLE runs ADD COLUMN pid INTEGER;              -- the process id on that machine
ALTER TABLE runs ADD COLUMN process_key VARCHAR;      -- boot id, pid namespace and start time of that process (Linux)
ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;   -- the last sign of life
ALTER TABLE runs ADD COLUMN found_dead_at TIMESTAMP WITH TIME ZONE;  -- when the run was found interrupted
