DROP TABLE `memo_terms`;--> statement-breakpoint
-- The keyword index now lives in LanceDB (memo_texts): re-arm every memo's vector work so the worker writes
-- its terms there (its vector comes from the embedding cache).
INSERT IGNORE INTO `vector_jobs` (`id`, `uid`, `target`, `target_id`, `op`) SELECT UUID(), `uid`, 'memo', `id`, 'upsert' FROM `memos`;
