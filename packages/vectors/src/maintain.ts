import type { IndexConfig, Table, Version } from "@lancedb/lancedb";
import { Index } from "@lancedb/lancedb";

import { retryCommit } from "./commit-retry";
import type { TableWrites } from "./serial";

import type { MaintenanceReport } from "./types";

export interface MaintainedTable {
  name: string;
  table: Table;
  /** The vector column, for tables that are searched by vector. */
  vectorColumn?: string;
  /** Scalar columns that filters use. */
  keyColumns: string[];
  /** The table's write queue: compaction takes its turn there. */
  writes: TableWrites;
  /** When its vector index was last built here and how long that took (0 and 0 before any). */
  vectorBuilds: { endedAt: number; tookMs: number };
}

/** Below this many rows a flat scan is as fast as an index, and IVF needs 256 rows to train. */
export const VECTOR_INDEX_MIN_ROWS = 5000;

/** The vector index searches expect (an older HNSW index is replaced). */
const isVectorIndexOn = (column: string) => (index: IndexConfig) =>
  index.columns.includes(column) && index.indexType === "IvfFlat";

/**
 * Each optimize() that finds new rows adds them to the vector index as one more delta index (LanceDB 0.39's
 * optimize merges none), and every search probes every delta: after 40 maintenances that each added 100 memos,
 * the heaviest user's search on 20k memos took 26 ms instead of 8. Past this many parts the index is rebuilt whole.
 */
export const MAX_VECTOR_INDEX_PARTS = 8;

/**
 * Asked to consolidate (at a pause in writes, before the searches that tend to follow), maintenance rebuilds a
 * vector index of more than one part into one: at 20,000 memos the semantic leg took 19-20 ms over 7 parts
 * against 9-11 ms over one. A rebuild takes at most this share of the time since the last one ended, so writes
 * with short pauses between them do not spend their time rebuilding.
 */
export const VECTOR_REBUILD_SHARE = 0.1;

/** Whether consolidating now rebuilds the index: it has several parts and a rebuild is within its share. */
const consolidationDue = async ({ vectorBuilds }: MaintainedTable, parts: () => Promise<number>) =>
  Date.now() - vectorBuilds.endedAt >= vectorBuilds.tookMs / VECTOR_REBUILD_SHARE && (await parts()) > 1;

const vectorIndexPartsOf = async (table: Table, index: IndexConfig | undefined) =>
  index ? ((await table.indexStats(index.name))?.numIndices ?? 1) : 0;

/** Maintenance is due after this many writes in this process: each adds a fragment and a version. */
export const MAINTAIN_AFTER_WRITES = 100;

/**
 * ... and at a pause in them after this many: a search scans each fragment written since the last maintenance
 * (about 0.1 ms each per table at 20,000 memos), so a burst's last ones are worth compacting once it is over.
 */
export const MAINTAIN_AT_PAUSE_AFTER_WRITES = 16;

/** Whether this process's own writes since the last maintenance call for one (`atPause`: writes have paused). */
export const writesCallForMaintenance = (writes: number, atPause = false) =>
  writes >= (atPause ? MAINTAIN_AT_PAUSE_AFTER_WRITES : MAINTAIN_AFTER_WRITES);

/** ... or once a table holds this many fragments, whoever wrote them (another server, the migrator). */
export const MAINTAIN_AT_FRAGMENTS = 32;

/**
 * Whether maintenance should run now rather than at its nightly hour: many writes since the last run, a table
 * of many fragments (each search opens them all), or a vector table that has grown past the index threshold
 * without its index (searches would scan it flat); with `consolidate`, also a vector index of more than one
 * part whose rebuild is affordable.
 */
export async function maintenanceDue(
  tables: MaintainedTable[],
  writes: number,
  consolidate = false,
): Promise<boolean> {
  if (writesCallForMaintenance(writes)) return true;
  for (const maintained of tables) {
    const { table, vectorColumn } = maintained;
    if ((await table.stats()).fragmentStats.numFragments >= MAINTAIN_AT_FRAGMENTS) return true;
    if (!vectorColumn) continue;
    const index = (await table.listIndices()).find(isVectorIndexOn(vectorColumn));
    if (!index && (await table.countRows()) >= VECTOR_INDEX_MIN_ROWS) return true;
    if (consolidate && (await consolidationDue(maintained, () => vectorIndexPartsOf(table, index))))
      return true;
  }
  return false;
}

/**
 * Where the version cleanup stops: the version that was current `retentionMs` ago and every later one stay, so a
 * process working from a version (a commit resolving a conflict, a read) keeps it for that long after it was
 * superseded, however old it is. LanceDB removes the versions created before the cutoff, so a cutoff of
 * `now - retention` would remove at once a version made long ago that was current until a moment ago. Used when
 * this process's own writes date no version by then (see version-clock.ts): listing reads every manifest.
 */
export function cleanupCutoff(
  versions: Pick<Version, "timestamp">[],
  now: number,
  retentionMs: number,
): Date {
  const horizon = now - retentionMs;
  const current = versions.reduce((latest, { timestamp }) => {
    const created = timestamp.getTime();
    return created <= horizon && created > latest ? created : latest;
  }, -Infinity);
  return new Date(Number.isFinite(current) ? current : horizon);
}

/**
 * The IVF_FLAT index's training: kmeans over sqrt(rows) partitions. LanceDB's defaults (50 iterations over 256
 * samples per partition) took most of a 20k-memo migration; 10 iterations over 64 samples per partition train
 * ~20x less, and each partition is still scanned exactly (see the recall the vectors bench prints).
 */
const vectorIndexConfig = () => Index.ivfFlat({ distanceType: "cosine", maxIterations: 10, sampleRate: 64 });

/**
 * Builds a vector index once a table is large enough, compacts fragments, drops versions superseded longer ago
 * than the retention and folds new rows into existing indexes, then creates the scalar indexes filters need and
 * rebuilds a vector index of too many parts (with `consolidate`, of more than one when affordable). Each step is
 * a LanceDB commit; one preempted by another process's write is run again (retryCommit), and this process's own
 * writes wait for the compaction in the table's queue.
 */
export async function maintainTables(
  tables: MaintainedTable[],
  retentionMs: number,
  consolidate = false,
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { tables: [] };
  for (const maintained of tables) {
    const { name, table, vectorColumn, keyColumns, writes, vectorBuilds } = maintained;
    const before = await table.stats();
    const now = Date.now();
    const cleanupOlderThan =
      writes.clock.cutoffAt(now - retentionMs) ?? cleanupCutoff(await table.listVersions(), now, retentionMs);
    const created: string[] = [];
    const vectorIndexOf = async () =>
      vectorColumn ? (await table.listIndices()).find(isVectorIndexOn(vectorColumn)) : undefined;
    // IVF_FLAT, not HNSW: on the 20k bench corpus (1536 dims) it built in seconds where HNSW-SQ took minutes,
    // with recall@10 1.0 and a few ms per user-filtered search. It replaces an HNSW index of older versions
    // and an IVF_FLAT index of too many deltas.
    const buildVectorIndex = async (column: string) => {
      const started = Date.now();
      await retryCommit(() => table.createIndex(column, { config: vectorIndexConfig(), replace: true }));
      vectorBuilds.endedAt = Date.now();
      vectorBuilds.tookMs = vectorBuilds.endedAt - started;
      created.push(column);
    };
    // A first vector index is built over the fragments as they are, and the compaction then remaps it: over
    // the migrator's 100 fragments of 1,000 rows (1536 dims) LanceDB's builder peaked at 541 MiB, over the
    // same rows compacted into one fragment at 806 MiB.
    if (vectorColumn && !(await vectorIndexOf()) && (await table.countRows()) >= VECTOR_INDEX_MIN_ROWS)
      await buildVectorIndex(vectorColumn);
    // In the write queue: a compaction that races a write loses its commit (LanceDB leaves the rewritten
    // fragments for cleanup), so under steady writes it would never land. Writes wait for it instead.
    await writes.queue(() => retryCommit(() => table.optimize({ cleanupOlderThan })));
    const existing = new Set((await table.listIndices()).flatMap((index) => index.columns));
    const rows = await table.countRows();
    const vectorIndex = await vectorIndexOf();
    let vectorIndexParts = await vectorIndexPartsOf(table, vectorIndex);
    for (const column of keyColumns) {
      if (rows > 0 && !existing.has(column)) {
        await table.createIndex(column, { config: Index.btree() });
        created.push(column);
      }
    }
    const consolidating =
      consolidate && (await consolidationDue(maintained, () => Promise.resolve(vectorIndexParts)));
    if (vectorColumn && (vectorIndexParts > MAX_VECTOR_INDEX_PARTS || consolidating)) {
      await buildVectorIndex(vectorColumn);
      vectorIndexParts = 1;
    }
    const after = await table.stats();
    report.tables.push({
      name,
      rows,
      fragmentsBefore: before.fragmentStats.numFragments,
      fragmentsAfter: after.fragmentStats.numFragments,
      indexed: [...new Set([...existing, ...created])].sort(),
      ...(vectorIndexParts ? { vectorIndexParts } : {}),
    });
  }
  return report;
}
