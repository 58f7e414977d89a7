DROP INDEX `runs_active_wake`;--> statement-breakpoint
CREATE INDEX `runs_unfinished_wake` ON `runs` (`wake_at`) WHERE finished_at is null;