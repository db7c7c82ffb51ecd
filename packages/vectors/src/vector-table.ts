import type { Table } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString, toFloat32 } from "./filters";
import { createKeyedTable } from "./keyed-table";
import type { TableWrites } from "./serial";
import type { SearchOptions, VectorHit, VectorRow, VectorTable } from "./types";

/** Partitions of the IVF index searched per query. */
const IVF_PROBES = 20;

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
      const rows = (await table
        .vectorSearch(Array.from(vector))
        .column(columns.vector)
        .distanceType("cosine")
        // The index is IVF_FLAT: the probed partitions are scanned exactly, so `_distance` is the true cosine
        // distance. 20 of ~sqrt(rows) partitions gave recall@10 1.0 for the heaviest user of the 20k bench
        // corpus (see the README).
        .nprobes(IVF_PROBES)
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
