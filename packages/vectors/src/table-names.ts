/** The LanceDB tables, by what they hold. A door of its own (`@aimo/vectors/table-names`): it loads no LanceDB. */
export const TABLE_NAMES = {
  memos: "memo_vectors",
  memosRecent: "memo_vectors_recent",
  memoTexts: "memo_texts",
  memoTextsRecent: "memo_texts_recent",
  attachments: "attachment_vectors",
  embeddingCache: "embedding_cache",
  multimodalCache: "multimodal_embedding_cache",
} as const;
