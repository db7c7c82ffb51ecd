import type { Table } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString, toFloat32 } from "./filters";
import { createKeyedTable } from "./keyed-table";
import type { TableWrites } from "./serial";
import type { SearchOptions, VectorHit, VectorRow, VectorTable } from "./types";

/**
 * Partitions of the IVF index searched per query: a share of them, at least 20. The index has ~sqrt(rows)
 * partitions (LanceDB's default), so a fixed count covers less of a larger table: for the heaviest user of the
 * bench corpus, 20 of ~141 partitions gave recall@10 1.00 at 20,000 memos, but 20 of ~316 gave 0.93 at 100,000
 * (0.60 for one query), and 45 of them 1.00, for ~2 ms more (see the README).
 */
export const ivfProbesFor = (rows: number) => Math.max(20, Math.ceil(Math.sqrt(rows) * 0.14));

/** How long a table's row count sizes its probes before it is counted again (another process may write). */
const ROW_COUNT_REUSE_MS = 60_000;

export interface EntityColumns {
  id: string;
  vector: string;
}

export function createVectorTable(
  table: Table,
  schema: Schema,
  columns: EntityColumns,
  dimensions: number,
  writes: TableWrites,
): VectorTable {
  const keyed = createKeyedTable<VectorRow>(
    table,
    columns.id,
    (rows) =>
      arrowTable(
        schema,
        {
          [columns.id]: rows.map((row) => row.id),
          uid: rows.map((row) => row.uid),
          [columns.vector]: rows.map((row) => row.vector),
        },
        rows.length,
      ),
    writes,
    (row) => {
      if (row.vector.length !== dimensions) {
        throw new Error(
          `vector for ${row.id} has ${row.vector.length} dimensions, the table holds ${dimensions}`,
        );
      }
    },
  );

  // One count at a time: the searches that find it stale together share it.
  let counted = { rows: Promise.resolve(0), at: -Infinity };
  const probes = async () => {
    if (Date.now() - counted.at > ROW_COUNT_REUSE_MS) {
      const rows = table.countRows();
      counted = { rows, at: Date.now() };
      // A failed count fails the searches that share it and is counted again by the next one.
      rows.catch(() => (counted = { rows, at: -Infinity }));
    }
    return ivfProbesFor(await counted.rows);
  };

  return {
    dimensions,
    ...keyed,
    async get(ids) {
      const rows: VectorRow[] = [];
      for (const part of chunks([...new Set(ids)])) {
        const found = await table.query().where(inList(columns.id, part)).toArray();
        for (const row of found as Record<string, unknown>[]) {
          rows.push({
            id: String(row[columns.id]),
            uid: String(row.uid),
            vector: toFloat32(row[columns.vector]),
          });
        }
      }
      return rows;
    },
    async search(uid, vector, options: SearchOptions): Promise<VectorHit[]> {
      if (options.ids && options.ids.length === 0) return [];
      let filter = `uid = ${sqlString(uid)}`;
      if (options.ids) filter += ` AND ${inList(columns.id, options.ids)}`;
      const nprobes = await probes();
      const rows = (await table
        .vectorSearch(Array.from(vector))
        .column(columns.vector)
        .distanceType("cosine")
        // The index is IVF_FLAT: the probed partitions are scanned exactly, so `_distance` is the true cosine
        // distance.
        .nprobes(nprobes)
        .where(filter)
        .select([columns.id, "_distance"])
        .limit(options.limit)
        .toArray()) as Record<string, unknown>[];
      const hits: VectorHit[] = [];
      for (const row of rows) {
        // Cosine distance is 1 - cos; the similarity is cos, clamped to [0, 1].
        const similarity = Math.min(1, Math.max(0, 1 - Number(row._distance)));
        if (options.minSimilarity === undefined || similarity >= options.minSimilarity)
          hits.push({ id: String(row[columns.id]), similarity });
      }
      return hits;
    },
  };
}
