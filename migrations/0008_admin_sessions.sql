-- Admin page sessions. The cookie carries a random id, its issue time and an HMAC of both keyed
-- by ADMIN_TOKEN; a session is live only while its row is here: signing out deletes the row, so
-- a copied cookie stops working at once, and rotating ADMIN_TOKEN ends every session through
-- the HMAC. Rows past expires_at are deleted whenever someone signs in.
CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
) WITHOUT ROWID;
