-- Custom migration (hand-written, see coord protocol): polling triggers (issue 22). One row per
-- enabled workflow whose trigger is `poll`, written with every save (src/store/polls.ts).
-- `cursor` is the source's JSON cursor, NULL until the first poll records the baseline;
-- `trigger_key` is the source and config the cursor belongs to (a change starts a new baseline).
-- `seq` grows with every recorded poll: a poll records its cursor, and the runs it starts, only
-- if `seq` is still what it read, so two overlapping polls never both start the same items.
-- `claim_id` is the winner's id, which the runs' rows are written under in the same batch.
-- `failures` counts failed polls in a row (they back off); `failed_run_id` is the failed run
-- that put the streak in the inbox, once. Times are epoch milliseconds.
CREATE TABLE `poll_state` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`workflow_version` integer NOT NULL,
	`source` text NOT NULL,
	`trigger_key` text NOT NULL,
	`every_ms` integer NOT NULL,
	`cursor` text,
	`skip_existing` integer NOT NULL DEFAULT 0,
	`seq` integer NOT NULL DEFAULT 0,
	`claim_id` text,
	`next_poll_at` integer NOT NULL,
	`last_poll_at` integer,
	`last_found` integer,
	`last_started` integer,
	`failures` integer NOT NULL DEFAULT 0,
	`last_error` text,
	`failed_run_id` text,
	`updated_at` integer NOT NULL
);
CREATE INDEX `poll_state_due` ON `poll_state` (`next_poll_at`);
