-- Custom migration (hand-written): Notion webhook subscriptions' verification handshakes (issue
-- 22). Notion POSTs a one-time `verification_token` to the webhook URL; the user pastes it back
-- into Notion, and Notion signs every event with it. The token itself is stored only in the
-- webhook-secret credential named by `credential` (encrypted); this row says which workflow
-- received it and when, and `verified_at` when the first event signed with it arrived: from then
-- on the token is never shown again (src/http/api/notion-verification-api.ts).
CREATE TABLE `notion_verifications` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`credential` text NOT NULL,
	`received_at` integer NOT NULL,
	`verified_at` integer
);
