-- Custom migration (hand-written, see coord protocol): memory between runs (memory-get, -set,
-- -increment and dedupe nodes). One row per key of a namespace: `workflow:<id>` (a workflow's
-- own) or `shared:<name>`. `value` is JSON text (64 KiB at most, checked in src/store/memory.ts);
-- `written_by` is the idempotency key of the step that last wrote it, so the same step run again
-- (a retry, a redelivery after a crash) does not count twice. Times are epoch milliseconds; a row
-- whose `expires_at` has passed is never read, and the cron deletes it (src/store/expire-memory.ts).
-- A rowid table, not WITHOUT ROWID: values may fill many pages.
CREATE TABLE `memory` (
	`namespace` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`written_by` text,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	PRIMARY KEY (`namespace`, `key`)
);
CREATE INDEX `memory_expires` ON `memory` (`expires_at`) WHERE `expires_at` IS NOT NULL;
