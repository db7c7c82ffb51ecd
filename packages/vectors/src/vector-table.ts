import type { Table } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString, toFloat32 } from "./filters";
import { createKeyedTable } from "./keyed-table";
import type { TableWrites } from "./serial";
import type { Tier, TieredTable } from "./tiers";
import { createTieredTable } from "./tiers";
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

/** Rows of `table` with these ids. */
async function getFrom(table: Table, columns: EntityColumns, ids: string[]): Promise<VectorRow[]> {
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
}

/** The user's rows of `table` nearest `vector`, best first; `nprobes` for a table with an IVF index. */
async function searchTable(
  table: Table,
  columns: EntityColumns,
  uid: string,
  vector: Float32Array,
  options: SearchOptions,
  nprobes?: number,
): Promise<VectorHit[]> {
  let filter = `uid = ${sqlString(uid)}`;
  if (options.ids) filter += ` AND ${inList(columns.id, options.ids)}`;
  // The index is IVF_FLAT: the probed partitions are scanned exactly, so `_distance` is the true cosine distance.
  const query = table.vectorSearch(Array.from(vector)).column(columns.vector).distanceType("cosine");
  const rows = (await (nprobes === undefined ? query : query.nprobes(nprobes))
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
}

/** A table's IVF probes for its row count, counted again at most once a minute. */
function probesOf(table: Table) {
  // One count at a time: the searches that find it stale together share it.
  let counted = { rows: Promise.resolve(0), at: -Infinity };
  return async () => {
    if (Date.now() - counted.at > ROW_COUNT_REUSE_MS) {
      const rows = table.countRows();
      counted = { rows, at: Date.now() };
      // A failed count fails the searches that share it and is counted again by the next one.
      rows.catch(() => (counted = { rows, at: -Infinity }));
    }
    return ivfProbesFor(await counted.rows);
  };
}

const columnsOf = (columns: EntityColumns) => (rows: VectorRow[]) => ({
  [columns.id]: rows.map((row) => row.id),
  uid: rows.map((row) => row.uid),
  [columns.vector]: rows.map((row) => row.vector),
});

const checkDimensions = (dimensions: number) => (row: VectorRow) => {
  if (row.vector.length !== dimensions) {
    throw new Error(
      `vector for ${row.id} has ${row.vector.length} dimensions, the table holds ${dimensions}`,
    );
  }
};

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
    (rows) => arrowTable(schema, columnsOf(columns)(rows), rows.length),
    writes,
    checkDimensions(dimensions),
  );
  const probes = probesOf(table);
  return {
    dimensions,
    ...keyed,
    get: (ids) => getFrom(table, columns, ids),
    async search(uid, vector, options) {
      if (options.ids && options.ids.length === 0) return [];
      return searchTable(table, columns, uid, vector, options, await probes());
    },
  };
}

/**
 * A vector table in two tiers (see tiers.ts): the recent one, never indexed (it is folded before it could be),
 * takes the writes and is scanned flat; the main one, with the IVF index, the bulk loads and the folded rows, so
 * its index grows a delta part per fold rather than per maintenance.
 */
export function createTieredVectorTable(
  main: Tier,
  recent: Tier,
  schema: Schema,
  columns: EntityColumns,
  dimensions: number,
): VectorTable & Pick<TieredTable<VectorRow>, "foldDue" | "fold"> {
  const tiers = createTieredTable<VectorRow>({
    main,
    recent,
    idColumn: columns.id,
    mainSchema: schema,
    columnsOf: columnsOf(columns),
    check: checkDimensions(dimensions),
  });
  const probes = probesOf(main.table);
  return {
    dimensions,
    ...tiers,
    async get(ids) {
      const fresh = await getFrom(recent.table, columns, ids);
      const found = new Set(fresh.map((row) => row.id));
      const rest = ids.filter((id) => !found.has(id));
      return [...fresh, ...(rest.length ? await getFrom(main.table, columns, rest) : [])];
    },
    async search(uid, vector, options) {
      if (options.ids && options.ids.length === 0) return [];
      return tiers.searchBoth(
        uid,
        async (table, tier) =>
          searchTable(table, columns, uid, vector, options, tier === "main" ? await probes() : undefined),
        (a, b) => b.similarity - a.similarity,
        options.limit,
      );
    },
  };
}
