-- Custom migration (hand-written, see coord protocol): OAuth2 credentials (issue 24).
-- `version` is bumped by every write of a credential's sealed data after it was created: a token
-- refresh claims the credential by moving it from the version it read to the next (a
-- compare-and-swap), so one run refreshes while the others wait for its write; `lease_until`
-- (epoch ms) says until when that claim holds, so a refresher that died is taken over.
-- `connection` is what the page and the inbox may show without decrypting anything: null (never
-- connected), 'connected' or 'needs_reconnect'; `connection_note` says why in words (never a
-- token), `connection_changed_at` when. Tokens, scopes and the account name are in `ciphertext`.
ALTER TABLE `credentials` ADD COLUMN `version` integer NOT NULL DEFAULT 0;
ALTER TABLE `credentials` ADD COLUMN `lease_until` integer;
ALTER TABLE `credentials` ADD COLUMN `connection` text;
ALTER TABLE `credentials` ADD COLUMN `connection_note` text;
ALTER TABLE `credentials` ADD COLUMN `connection_changed_at` integer;
-- One row per "Connect" started, for at most 10 minutes, deleted when its callback comes (used
-- once). Keyed by the SHA-256 of the state, bound to the starting browser by the SHA-256 of its
-- cookie; the PKCE verifier is sealed like a credential (key_id, iv, ciphertext).
CREATE TABLE `oauth_starts` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`credential` text NOT NULL,
	`browser_hash` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`key_id` text NOT NULL,
	`iv` text NOT NULL,
	`ciphertext` text NOT NULL,
	`expires_at` integer NOT NULL
);
CREATE INDEX `oauth_starts_expires` ON `oauth_starts` (`expires_at`);
