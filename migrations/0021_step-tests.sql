-- Custom migration (hand-written, see coord protocol): one row per "Test this step" (issue 21
-- item 3), written by src/store/step-tests.ts. A test is not a run: no runs or steps row, so it
-- shows in no run list, inbox or dashboard figure. Only the verdict is kept, never the filled-in
-- config or the output (they may hold secrets or personal data; the test's answer showed them
-- once). `id` is a UUIDv7, so id order is test order and retention selects by id range.
-- `workflow_version` is the live version when the test ran; `draft` is 1 when the node tested was
-- the editor's unsaved or draft text and differed from that version's. `status` is succeeded or
-- failed; `error_code` and `error_message` are redacted as the answer's error was. Times are epoch
-- milliseconds. At most the newest 20 tests per node are kept, and none past RETENTION_DAYS.
CREATE TABLE `step_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`workflow_version` integer NOT NULL,
	`draft` integer NOT NULL DEFAULT 0,
	`status` text NOT NULL,
	`error_code` text,
	`error_message` text,
	`duration_ms` integer NOT NULL,
	`tested_at` integer NOT NULL
) WITHOUT ROWID;
-- The list per workflow (newest first) and per node, and the per-node cap, read this index.
CREATE INDEX `step_tests_node` ON `step_tests` (`workflow_id`,`node_id`,`id`);
