CREATE TABLE `memo_terms` (
	`uid` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`term` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`memo_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `memo_terms_pk` PRIMARY KEY(`uid`,`term`,`memo_id`)
);
--> statement-breakpoint
ALTER TABLE `memo_terms` ADD CONSTRAINT `memo_terms_memo_id_memos_id_fk` FOREIGN KEY (`memo_id`) REFERENCES `memos`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `memo_terms_memo_id_idx` ON `memo_terms` (`memo_id`);