-- Custom migration (hand-written, see coord protocol): templates and forEach.
-- The config a step actually ran with, templates filled in (NULL when the node has none: then it is
-- the definition's config).
ALTER TABLE `steps` ADD `config` text;
--> statement-breakpoint
-- Elements of a forEach step finished so far, for a node with effects outside the run: a run cut by
-- a crash or a budget resumes the step after them instead of calling their node again. The rows
-- are deleted in the batch that records the step itself, which then holds every result.
CREATE TABLE `foreach_items` (
	`run_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`item_index` integer NOT NULL,
	`status` text NOT NULL,
	`output` text,
	`error` text,
	`attempts` integer NOT NULL,
	PRIMARY KEY(`run_id`, `step_index`, `item_index`)
) WITHOUT ROWID;
