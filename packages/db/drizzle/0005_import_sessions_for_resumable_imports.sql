CREATE TABLE `import_items` (
	`session_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`item_key` varchar(191) NOT NULL,
	`target_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	CONSTRAINT `import_items_pk` PRIMARY KEY(`session_id`,`item_key`)
);
--> statement-breakpoint
CREATE TABLE `import_sessions` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`content_hash` varchar(64) NOT NULL,
	`format` varchar(32) NOT NULL,
	`status` varchar(16) NOT NULL,
	`total` int NOT NULL DEFAULT 0,
	`done` int NOT NULL DEFAULT 0,
	`skipped` json NOT NULL,
	`lease_until` timestamp(3),
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `import_sessions_id` PRIMARY KEY(`id`),
	CONSTRAINT `import_sessions_uid_hash_unique` UNIQUE(`uid`,`content_hash`)
);
--> statement-breakpoint
ALTER TABLE `import_items` ADD CONSTRAINT `import_items_session_id_import_sessions_id_fk` FOREIGN KEY (`session_id`) REFERENCES `import_sessions`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `import_sessions` ADD CONSTRAINT `import_sessions_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `uid_idx` ON `import_sessions` (`uid`);