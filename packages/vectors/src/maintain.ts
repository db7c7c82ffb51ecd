import type { IndexConfig, Table } from "@lancedb/lancedb";
import { Index } from "@lancedb/lancedb";

import { retryCommit } from "./commit-retry";
import type { MaintenanceReport } from "./types";

export interface MaintainedTable {
  name: string;
  table: Table;
  /** The vector column, for tables that are searched by vector. */
  vectorColumn?: string;
  /** Scalar columns that filters use. */
  keyColumns: string[];
}

/** Below this many rows a flat scan is as fast as an index, and IVF needs 256 rows to train. */
export const VECTOR_INDEX_MIN_ROWS = 5000;

/** The vector index searches expect (an older HNSW index is replaced). */
const isVectorIndexOn = (column: string) => (index: IndexConfig) =>
  index.columns.includes(column) && index.indexType === "IvfFlat";

/** Maintenance is due after this many writes in this process: each adds a fragment and a version. */
export const MAINTAIN_AFTER_WRITES = 100;

/**
 * Whether maintenance should run now rather than at its nightly hour: many writes since the last run, or a
 * vector table that has grown past the index threshold without its index (searches would scan it flat).
 */
export async function maintenanceDue(tables: MaintainedTable[], writes: number): Promise<boolean> {
  if (writes === 0) return false;
  if (writes >= MAINTAIN_AFTER_WRITES) return true;
  for (const { table, vectorColumn } of tables) {
    if (!vectorColumn) continue;
    const indexed = (await table.listIndices()).some(isVectorIndexOn(vectorColumn));
    if (!indexed && (await table.countRows()) >= VECTOR_INDEX_MIN_ROWS) return true;
  }
  return false;
}

/**
 * Compacts fragments, drops versions older than the retention, creates the scalar indexes filters need and
 * a vector index once a table is large enough, then folds new rows into existing indexes. Each step is a
 * LanceDB commit; one preempted by another process's write (a compaction loses to any delete or update that
 * commits while it runs) is run again (retryCommit), so maintenance succeeds while other servers write.
 */
export async function maintainTables(
  tables: MaintainedTable[],
  retentionDays: number,
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { tables: [] };
  for (const { name, table, vectorColumn, keyColumns } of tables) {
    const before = await table.stats();
    const indices = await table.listIndices();
    const existing = new Set(indices.flatMap((index) => index.columns));
    const rows = await table.countRows();
    const created: string[] = [];
    for (const column of keyColumns) {
      if (rows > 0 && !existing.has(column)) {
        await retryCommit(() => table.createIndex(column, { config: Index.btree() }));
        created.push(column);
      }
    }
    if (vectorColumn && rows >= VECTOR_INDEX_MIN_ROWS && !indices.some(isVectorIndexOn(vectorColumn))) {
      // IVF_FLAT, not HNSW: on the 20k bench corpus (1536 dims) it built in 11 s where HNSW-SQ took minutes,
      // with recall@10 1.0 and a few ms per user-filtered search. It replaces an HNSW index of older versions.
      await retryCommit(() =>
        table.createIndex(vectorColumn, { config: Index.ivfFlat({ distanceType: "cosine" }), replace: true }),
      );
      created.push(vectorColumn);
    }
    await retryCommit(() =>
      table.optimize({ cleanupOlderThan: new Date(Date.now() - retentionDays * 86_400_000) }),
    );
    const after = await table.stats();
    report.tables.push({
      name,
      rows,
      fragmentsBefore: before.fragmentStats.numFragments,
      fragmentsAfter: after.fragmentStats.numFragments,
      indexed: [...new Set([...existing, ...created])].sort(),
    });
  }
  return report;
}
