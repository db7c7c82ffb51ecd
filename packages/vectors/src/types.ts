import type { Circuit } from "./circuit";
import type { KeyedTable } from "./keyed-table";

/** One vector row, keyed by the MySQL id of what it embeds, with its owner for per-user filtering. */
export interface VectorRow {
  id: string;
  uid: string;
  vector: Float32Array;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, clamped to [0, 1]. */
  similarity: number;
}

export interface SearchOptions {
  limit: number;
  minSimilarity?: number;
  /** Restrict ranking to these ids (still filtered to the user). */
  ids?: string[];
}

/** memo_vectors or attachment_vectors. Every filter value is escaped; ids may hold quotes. */
export interface VectorTable extends KeyedTable<VectorRow> {
  readonly dimensions: number;
  get(ids: string[]): Promise<VectorRow[]>;
  /** Filtered to `uid` before ranking, best first. */
  search(uid: string, vector: Float32Array, options: SearchOptions): Promise<VectorHit[]>;
}

/** A memo's text as the keyword index takes it; the index stores only its terms (MySQL keeps the text). */
export interface KeywordRow {
  id: string;
  uid: string;
  text: string;
}

export interface KeywordHit {
  id: string;
  /** BM25 relevance: comparable within one answer only. */
  score: number;
}

/** memo_texts: a full-text index of each memo's terms (see `memoTermsOf`), searched per user. */
export interface KeywordIndex extends KeyedTable<KeywordRow> {
  /** The caller's memos holding the query's terms, most relevant first. */
  search(uid: string, query: string, options: { limit: number }): Promise<KeywordHit[]>;
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
  /** One batched insert; an existing key is kept. Returns how many keys were new. */
  putMany(entries: VectorCacheEntry[]): Promise<number>;
  /** Every key the cache holds (`cacheKeyOf`), in one scan: a bulk load reads them once, then `append`s. */
  keys(): Promise<Set<string>>;
  /** Appends entries whose keys the caller knows are absent, without a lookup per batch. */
  append(entries: VectorCacheEntry[]): Promise<void>;
}

export interface MaintenanceReport {
  tables: {
    name: string;
    fragmentsBefore: number;
    fragmentsAfter: number;
    rows: number;
    indexed: string[];
    /** How many parts (the index and its deltas) the vector index has, for a table that has one. */
    vectorIndexParts?: number;
  }[];
}

export interface MaintainOptions {
  only?: string[];
  /** The work worth doing once writes are over: see `maintain`. */
  consolidate?: boolean;
}

export interface VectorStore {
  memos: VectorTable;
  memoTexts: KeywordIndex;
  attachments: VectorTable;
  embeddingCache: VectorCache;
  multimodalCache: VectorCache;
  /**
   * Compaction, version cleanup, scalar and full-text indexes, a vector index once a table is large enough: of
   * every table, or `only` of these (TABLE_NAMES values). The recent tier of the memo vectors and of the keyword
   * index is folded into its main one once it holds FOLD_AT_ROWS rows. `consolidate` also folds a recent tier of
   * any size and rebuilds a vector index of several parts into one when that is affordable (VECTOR_REBUILD_SHARE).
   */
  maintain(options?: MaintainOptions): Promise<MaintenanceReport>;
  /** Whether enough was written since `maintain()`, or a table grew enough, to run it now (with these options). */
  maintenanceDue(options?: Pick<MaintainOptions, "consolidate">): Promise<boolean>;
  /**
   * Whether this process's own writes since `maintain()` call for it (`atPause`: when they have paused): known
   * without asking LanceDB.
   */
  writesCallForMaintenance(atPause?: boolean): boolean;
  /** When this process last committed a write to any table (`Date.now()`), 0 before the first. */
  lastWriteAt(): number;
  /** Trips after a LanceDB failure; table calls fail at once while it is open. */
  circuit: Circuit;
  /** Resolves when LanceDB reads a table's newest version; throws what went wrong (through the circuit). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
