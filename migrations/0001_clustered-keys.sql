-- Custom migration (drizzle-kit generate --custom): SQLite options drizzle's schema cannot say.
-- runs and steps become WITHOUT ROWID tables, clustered on their primary key. A rowid table keeps
-- its primary key in a second b-tree, and D1 bills every index entry as a row written: as
-- clustered tables, each step costs one row written instead of two, and each run one less.
CREATE TABLE `runs_clustered` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`workflow_version` integer NOT NULL,
	`status` text NOT NULL,
	`trigger` text NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`lease_id` text,
	`lease_until` integer,
	`wake_at` integer NOT NULL,
	`sweeps` integer DEFAULT 0 NOT NULL,
	`pending_retry` text
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `runs_clustered` SELECT * FROM `runs`;
--> statement-breakpoint
DROP TABLE `runs`;
--> statement-breakpoint
ALTER TABLE `runs_clustered` RENAME TO `runs`;
--> statement-breakpoint
CREATE INDEX `runs_workflow` ON `runs` (`workflow_id`,`id`);
--> statement-breakpoint
CREATE INDEX `runs_active_wake` ON `runs` (`wake_at`) WHERE status in ('queued', 'running');
--> statement-breakpoint
CREATE TABLE `steps_clustered` (
	`run_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`node_name` text,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`attempts` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`duration_ms` integer,
	PRIMARY KEY(`run_id`, `step_index`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `steps_clustered` SELECT * FROM `steps`;
--> statement-breakpoint
DROP TABLE `steps`;
--> statement-breakpoint
ALTER TABLE `steps_clustered` RENAME TO `steps`;
