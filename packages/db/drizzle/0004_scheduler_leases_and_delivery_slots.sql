CREATE TABLE `job_leases` (
	`job` varchar(64) NOT NULL,
	`slot` varchar(32) NOT NULL,
	`holder` varchar(128) NOT NULL,
	`expires_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` timestamp(3),
	CONSTRAINT `job_leases_job` PRIMARY KEY(`job`)
);
--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD `channel_index` tinyint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD `slot` varchar(32);--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD `message_id` varchar(64);--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD CONSTRAINT `push_deliveries_slot_unique` UNIQUE(`rule_id`,`slot`,`channel_index`);