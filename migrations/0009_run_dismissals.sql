-- The admin inbox lists failed runs until someone deals with them. Dismissing one is a row here:
-- the runs row stays as the engine wrote it (no extra column or index write on the hot path), and
-- a run never dismissed costs nothing. Clustered on run_id, so a dismissal is one row written.
CREATE TABLE `run_dismissals` (
	`run_id` text PRIMARY KEY NOT NULL,
	`dismissed_at` integer NOT NULL
) WITHOUT ROWID;
