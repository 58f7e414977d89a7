-- Custom migration (hand-written, see coord protocol): waiting for a reply (wait-for-webhook).
-- A random key per run, written the first time a step needs the run's resume URL and never
-- changed after: each wait-for-webhook node's URL token is an HMAC of the run and node ids under
-- it, so a retried or redelivered step hands out the same URL. NULL for every other run.
ALTER TABLE `runs` ADD `resume_key` text;
