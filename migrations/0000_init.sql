CREATE TABLE `blobs` (
	`id` text NOT NULL,
	`seq` integer NOT NULL,
	`data` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `ingest_keys` (
	`workflow_id` text NOT NULL,
	`key` text NOT NULL,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workflow_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `ingest_keys_created` ON `ingest_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `runs` (
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
);
--> statement-breakpoint
CREATE INDEX `runs_workflow` ON `runs` (`workflow_id`,`id`);--> statement-breakpoint
CREATE INDEX `runs_active_wake` ON `runs` (`wake_at`) WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE TABLE `steps` (
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
);
--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workflow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`hook_token` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
