-- Custom migration (hand-written, see coord protocol): scoped API tokens (issue 23). A token is
-- shown once; only the SHA-256 of it is kept (`token_hash`, hex): it has 256 random bits, so a
-- plain hash is enough and a lookup is one indexed read. `scopes` is a JSON array of read, run,
-- write, admin; `workflows` a JSON array of workflow ids the token may run (null: all). Times
-- are epoch milliseconds; `expires_at` null never expires. Revoking deletes the row.
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`workflows` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer
);
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`token_hash`);
