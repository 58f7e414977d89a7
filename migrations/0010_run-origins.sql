-- Custom migration (hand-written, see coord protocol): replay and resume.
-- The run a new run replays (same trigger and input, from the first step) or resumes (the steps
-- before the old run's first failed one copied, not run again). NULL for every other run.
ALTER TABLE `runs` ADD `replay_of` text;
--> statement-breakpoint
ALTER TABLE `runs` ADD `resumed_from` text;
--> statement-breakpoint
-- A step copied into a resumed run from an earlier run's record, naming the run whose node
-- actually ran; its node was not called again. NULL for a step this run ran itself.
ALTER TABLE `steps` ADD `reused_from` text;
