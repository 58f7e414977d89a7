-- Custom migration (hand-written, see coord protocol): each workflow's pinned test payload (issue
-- 21), the input "Run now" and the editor's sample panel start from. One row per workflow, written
-- by src/store/samples.ts and deleted with its workflow; `input` is JSON text (256 KiB at most,
-- checked there), `updated_at` epoch milliseconds.
CREATE TABLE `workflow_samples` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`input` text NOT NULL,
	`updated_at` integer NOT NULL
) WITHOUT ROWID;
