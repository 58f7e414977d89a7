-- One row per enabled workflow with a schedule trigger. Rewritten in the same batch as every
-- save, disable and delete of the workflow, so a tick never fires a time the user changed.
-- Claiming a fire time is `UPDATE ... WHERE next_fire_at = <the time read>`: one tick wins.
CREATE TABLE `schedules` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`workflow_version` integer NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`next_fire_at` integer,
	`last_fire_at` integer,
	`updated_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `schedules_due` ON `schedules` (`next_fire_at`) WHERE next_fire_at is not null;
