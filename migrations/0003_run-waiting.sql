-- A run paused by a node (delay, wait-for-webhook) until a time or an outside call: what it
-- waits for, until when, and the value delivered. NULL for every other run.
ALTER TABLE `runs` ADD `waiting` text;
