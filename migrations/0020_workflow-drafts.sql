-- Custom migration (hand-written, see coord protocol): each workflow's unpublished draft (issue 21
-- item 5). One row per workflow at most, written by src/store/drafts.ts: saved by
-- PUT /api/workflows/:id?draft=true, removed when it is published, discarded, replaced by a plain
-- PUT, or deleted with its workflow. Webhooks, schedules, polls and MCP tools never read it.
-- `definition` is the validated workflow JSON, `saved_at` epoch milliseconds.
CREATE TABLE `workflow_drafts` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`definition` text NOT NULL,
	`saved_at` integer NOT NULL
) WITHOUT ROWID;
