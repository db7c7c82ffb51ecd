import type { Table } from "@lancedb/lancedb";

/**
 * Loads a vector index into a renewed connection's cache before searches go to it: on a fresh connection the
 * first vector search took about a second (the IVF partitions read again; 20k rows, 1536 dims), once after every
 * maintenance. Only an index that takes at most half the index cache: a larger one would evict itself while
 * loading, and searches load the partitions they probe anyway.
 */
export async function warmVectorIndex(
  table: Table,
  vector: { column: string; bytesPerRow: number },
  indexCacheBytes: number,
): Promise<void> {
  for (const index of await table.listIndices()) {
    if (!index.columns.includes(vector.column)) continue;
    const rows = (await table.indexStats(index.name))?.numIndexedRows ?? Infinity;
    if (rows * vector.bytesPerRow <= indexCacheBytes / 2) await table.prewarmIndex(index.name);
  }
}
