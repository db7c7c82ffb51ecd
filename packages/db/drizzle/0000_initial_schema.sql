CREATE TABLE `users` (
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`email` varchar(191),
	`phone` varchar(32),
	`password_hash` varchar(255) NOT NULL,
	`nickname` varchar(64),
	`avatar` varchar(1024),
	`status` int NOT NULL DEFAULT 1,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_uid` PRIMARY KEY(`uid`),
	CONSTRAINT `users_email_unique` UNIQUE(`email`),
	CONSTRAINT `users_phone_unique` UNIQUE(`phone`)
);
--> statement-breakpoint
CREATE TABLE `categories` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(64) NOT NULL,
	`color` varchar(32),
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `categories_id` PRIMARY KEY(`id`),
	CONSTRAINT `categories_uid_name_unique` UNIQUE(`uid`,`name`)
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(64) NOT NULL,
	`color` varchar(32),
	`usage_count` int NOT NULL DEFAULT 0,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `tags_id` PRIMARY KEY(`id`),
	CONSTRAINT `tags_uid_name_unique` UNIQUE(`uid`,`name`)
);
--> statement-breakpoint
CREATE TABLE `memos` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`category_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`content` mediumtext NOT NULL,
	`type` varchar(16) NOT NULL DEFAULT 'text',
	`source` varchar(2048),
	`attachment_ids` json NOT NULL,
	`is_public` boolean NOT NULL DEFAULT false,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `memos_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `memo_tags` (
	`memo_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tag_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`position` int NOT NULL DEFAULT 0,
	CONSTRAINT `memo_tags_pk` PRIMARY KEY(`memo_id`,`tag_id`)
);
--> statement-breakpoint
CREATE TABLE `memo_relations` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source_memo_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`target_memo_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `memo_relations_id` PRIMARY KEY(`id`),
	CONSTRAINT `memo_relations_source_target_unique` UNIQUE(`source_memo_id`,`target_memo_id`)
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`filename` varchar(512) NOT NULL,
	`mime_type` varchar(255) NOT NULL,
	`size` bigint NOT NULL,
	`storage_type` varchar(16) NOT NULL,
	`path` varchar(1024) NOT NULL,
	`bucket` varchar(255),
	`prefix` varchar(255),
	`endpoint` varchar(512),
	`region` varchar(64),
	`is_public_bucket` boolean,
	`multimodal_model_hash` varchar(64),
	`properties` json NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `attachments_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `ai_conversations` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`title` varchar(255) NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `ai_conversations_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `ai_messages` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`conversation_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`role` varchar(16) NOT NULL,
	`content` mediumtext NOT NULL,
	`sources` json NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `ai_messages_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `daily_recommendations` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`date` date NOT NULL,
	`memo_ids` json NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `daily_recommendations_id` PRIMARY KEY(`id`),
	CONSTRAINT `daily_recommendations_uid_date_unique` UNIQUE(`uid`,`date`)
);
--> statement-breakpoint
CREATE TABLE `push_rules` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(128) NOT NULL,
	`push_time` tinyint NOT NULL,
	`content_type` varchar(32) NOT NULL,
	`channels` json NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `push_rules_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `push_deliveries` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`rule_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`channel_type` varchar(16) NOT NULL,
	`status` varchar(16) NOT NULL,
	`attempts` int NOT NULL DEFAULT 0,
	`error` text,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `push_deliveries_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(64) NOT NULL,
	`token_hash` varchar(64) NOT NULL,
	`prefix` varchar(16) NOT NULL,
	`last_used_at` timestamp(3),
	`expires_at` timestamp(3),
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `api_tokens_id` PRIMARY KEY(`id`),
	CONSTRAINT `api_tokens_token_hash_unique` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `vector_jobs` (
	`id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`target` varchar(16) NOT NULL,
	`target_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`op` varchar(16) NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'pending',
	`attempts` int NOT NULL DEFAULT 0,
	`last_error` text,
	`run_after` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `vector_jobs_id` PRIMARY KEY(`id`),
	CONSTRAINT `vector_jobs_target_unique` UNIQUE(`target`,`target_id`)
);
--> statement-breakpoint
ALTER TABLE `categories` ADD CONSTRAINT `categories_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `tags` ADD CONSTRAINT `tags_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memos` ADD CONSTRAINT `memos_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memos` ADD CONSTRAINT `memos_category_id_categories_id_fk` FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_tags` ADD CONSTRAINT `memo_tags_memo_id_memos_id_fk` FOREIGN KEY (`memo_id`) REFERENCES `memos`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_tags` ADD CONSTRAINT `memo_tags_tag_id_tags_id_fk` FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_tags` ADD CONSTRAINT `memo_tags_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_relations` ADD CONSTRAINT `memo_relations_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_relations` ADD CONSTRAINT `memo_relations_source_memo_id_memos_id_fk` FOREIGN KEY (`source_memo_id`) REFERENCES `memos`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memo_relations` ADD CONSTRAINT `memo_relations_target_memo_id_memos_id_fk` FOREIGN KEY (`target_memo_id`) REFERENCES `memos`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attachments` ADD CONSTRAINT `attachments_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ai_conversations` ADD CONSTRAINT `ai_conversations_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ai_messages` ADD CONSTRAINT `ai_messages_conversation_id_ai_conversations_id_fk` FOREIGN KEY (`conversation_id`) REFERENCES `ai_conversations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ai_messages` ADD CONSTRAINT `ai_messages_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `daily_recommendations` ADD CONSTRAINT `daily_recommendations_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `push_rules` ADD CONSTRAINT `push_rules_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD CONSTRAINT `push_deliveries_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `push_deliveries` ADD CONSTRAINT `push_deliveries_rule_id_push_rules_id_fk` FOREIGN KEY (`rule_id`) REFERENCES `push_rules`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD CONSTRAINT `api_tokens_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vector_jobs` ADD CONSTRAINT `vector_jobs_uid_users_uid_fk` FOREIGN KEY (`uid`) REFERENCES `users`(`uid`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `uid_idx` ON `categories` (`uid`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `tags` (`uid`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `memos` (`uid`);--> statement-breakpoint
CREATE INDEX `memos_uid_created_at_idx` ON `memos` (`uid`,`created_at`);--> statement-breakpoint
CREATE INDEX `memos_uid_updated_at_idx` ON `memos` (`uid`,`updated_at`);--> statement-breakpoint
CREATE INDEX `memos_created_at_idx` ON `memos` (`created_at`);--> statement-breakpoint
CREATE INDEX `memos_updated_at_idx` ON `memos` (`updated_at`);--> statement-breakpoint
CREATE INDEX `memos_category_id_idx` ON `memos` (`category_id`);--> statement-breakpoint
CREATE INDEX `memo_tags_tag_id_idx` ON `memo_tags` (`tag_id`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `memo_tags` (`uid`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `memo_relations` (`uid`);--> statement-breakpoint
CREATE INDEX `memo_relations_target_idx` ON `memo_relations` (`target_memo_id`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `attachments` (`uid`);--> statement-breakpoint
CREATE INDEX `attachments_uid_created_at_idx` ON `attachments` (`uid`,`created_at`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `ai_conversations` (`uid`);--> statement-breakpoint
CREATE INDEX `ai_conversations_uid_updated_at_idx` ON `ai_conversations` (`uid`,`updated_at`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `ai_messages` (`uid`);--> statement-breakpoint
CREATE INDEX `ai_messages_conversation_id_idx` ON `ai_messages` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `daily_recommendations` (`uid`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `push_rules` (`uid`);--> statement-breakpoint
CREATE INDEX `push_rules_push_time_idx` ON `push_rules` (`push_time`,`enabled`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `push_deliveries` (`uid`);--> statement-breakpoint
CREATE INDEX `push_deliveries_rule_id_idx` ON `push_deliveries` (`rule_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `api_tokens` (`uid`);--> statement-breakpoint
CREATE INDEX `vector_jobs_status_run_after_idx` ON `vector_jobs` (`status`,`run_after`);--> statement-breakpoint
CREATE INDEX `uid_idx` ON `vector_jobs` (`uid`);