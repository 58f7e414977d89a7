-- Custom migration (hand-written, see coord protocol): a run is resumed once (issue 20 item 5).
-- (Webhook tokens, workflows.hook_token, are stored as `sha256:<hash>` from now on, item 12. SQLite
-- has no SHA-256, so the Worker hashes older rows: on a token's first use, and in the cron's pass,
-- upgradeHookTokens in src/store/workflows.ts. Nothing to do here.)
-- The run that resumed this one, claimed with a conditional UPDATE (resumed_by IS NULL), so two
-- resume requests racing each other make one new run. NULL until a resume claims it.
ALTER TABLE `runs` ADD `resumed_by` text;
--> statement-breakpoint
-- The runs made from a run (GET /api/runs/:id lists them). Partial: almost every run is neither,
-- so they cost no index write; SQLite uses them for `replay_of = ?` (it implies NOT NULL).
CREATE INDEX `runs_replay_of` ON `runs` (`replay_of`) WHERE `replay_of` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `runs_resumed_from` ON `runs` (`resumed_from`) WHERE `resumed_from` IS NOT NULL;
--> statement-breakpoint
-- Runs resumed before this migration are resumed already: each names its first resume.
UPDATE `runs` SET `resumed_by` = (
  SELECT min(r.`id`) FROM `runs` r WHERE r.`resumed_from` = `runs`.`id`
) WHERE `id` IN (SELECT `resumed_from` FROM `runs` WHERE `resumed_from` IS NOT NULL);
