-- Stored credentials (API keys, tokens, service-account keys). `ciphertext` is AES-GCM under
-- ENCRYPTION_KEY with a random 12-byte `iv` per write; the name, type and base URL are bound to it
-- as additional data, so a row edited in D1 (a swapped base URL or name) no longer decrypts.
-- `key_id` says which ENCRYPTION_KEY wrote the row, so a key rotation can find the rows left.
CREATE TABLE `credentials` (
	`name` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`base_url` text,
	`key_id` text NOT NULL,
	`iv` text NOT NULL,
	`ciphertext` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
