/** One vector row, keyed by the MySQL id of what it embeds, with its owner for per-user filtering. */
export interface VectorRow {
  id: string;
  uid: string;
  vector: Float32Array;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity mapped to [0, 1]. */
  score: number;
}

export interface SearchOptions {
  limit: number;
  minScore?: number;
  /** Restrict ranking to these ids (still filtered to the user). */
  ids?: string[];
}

/** memo_vectors or attachment_vectors. Every filter value is escaped; ids may hold quotes. */
export interface VectorTable {
  readonly dimensions: number;
  upsert(rows: VectorRow[]): Promise<void>;
  /**
   * Adds the rows whose ids the table lacks and leaves the others as they are; returns how many it added.
   * For bulk loads where an id's vector never changes (the migrator): its memory stays flat as the table
   * grows, where a merge-insert's join grows with it.
   */
  addMissing(rows: VectorRow[]): Promise<number>;
  delete(ids: string[]): Promise<void>;
  deleteByUser(uid: string): Promise<void>;
  get(ids: string[]): Promise<VectorRow[]>;
  count(uid?: string): Promise<number>;
  /** Filtered to `uid` before ranking, best first. */
  search(uid: string, vector: Float32Array, options: SearchOptions): Promise<VectorHit[]>;
  /** Every (id, uid) in the table, in batches, for drift repair. */
  scanIds(batchSize?: number): AsyncIterable<{ id: string; uid: string }[]>;
}

/** A cache of vectors by (model hash, content hash[, modality]); what the embedding providers read through. */
export interface VectorCacheEntry {
  modelHash: string;
  contentHash: string;
  /** Only in the multimodal cache: 'text' | 'image' | 'video'. */
  modalityType?: string;
  vector: Float32Array;
}

export interface VectorCache {
  readonly dimensions: number;
  /** One batched lookup; the map is keyed by contentHash. */
  getMany(
    modelHash: string,
    contentHashes: string[],
    modalityType?: string,
  ): Promise<Map<string, Float32Array>>;
  /** One batched insert; an existing key is kept. */
  putMany(entries: VectorCacheEntry[]): Promise<void>;
}

export interface MaintenanceReport {
  tables: {
    name: string;
    fragmentsBefore: number;
    fragmentsAfter: number;
    rows: number;
    indexed: string[];
  }[];
}

export interface VectorStore {
  memos: VectorTable;
  attachments: VectorTable;
  embeddingCache: VectorCache;
  multimodalCache: VectorCache;
  /** Compaction, version cleanup, uid scalar index, vector index once a table is large enough. */
  maintain(): Promise<MaintenanceReport>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
