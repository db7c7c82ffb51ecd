import { randomUUID } from "node:crypto";

import type { Table } from "@lancedb/lancedb";
import { Field, Schema, Utf8 } from "apache-arrow";

import type { ColumnValues } from "./arrow-rows";
import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString } from "./filters";
import type { KeyedRow, KeyedTable } from "./keyed-table";
import { createKeyedTable } from "./keyed-table";
import type { TableWrites } from "./serial";

/**
 * The recent tier holds about this many rows before maintenance folds them into the main one. Maintaining a table
 * with an index rewrites or extends it whole: a full-text index's data and index (at 20,000 memos 2-2.9 s under
 * writes, every 50 creates), a vector index one delta part more each time (every part costs each search). The
 * recent tier's maintenance stays that of this many rows; the main tier's is paid once per fold.
 */
export const FOLD_AT_ROWS = 2000;

/** The recent tier's rows carry a token of the write that made them, so a fold removes only those it moved. */
const WRITE_ID = "writeId";

/** A recent tier's schema: the main tier's plus the write token. */
export const recentSchemaOf = (main: Schema) =>
  new Schema([...main.fields, new Field(WRITE_ID, new Utf8(), false)], main.metadata);

/** What the recent tier holds: its ids, which supersede the main tier's rows, and their users. */
interface RecentRows {
  ids: Set<string>;
  users: Set<string>;
}

/** One LanceDB table of the two and the write queue it is written through. */
export interface Tier {
  table: Table;
  writes: TableWrites;
}

export interface TieredTable<Row extends KeyedRow> extends KeyedTable<Row> {
  /**
   * A user's best `limit` hits of both tiers, by `rank` (best first): the recent tier's only if it holds the user's
   * rows, the main tier's but those superseded.
   */
  searchBoth<Hit extends { id: string }>(
    uid: string,
    searchTier: (table: Table, tier: "main" | "recent") => Promise<Hit[]>,
    rank: (a: Hit, b: Hit) => number,
    limit: number,
  ): Promise<Hit[]>;
  /** Whether the recent tier holds FOLD_AT_ROWS rows, or any at all when folding `all`. */
  foldDue(all: boolean): Promise<boolean>;
  /** Moves the recent tier's rows into the main one when `foldDue`; answers how many moved. */
  fold(all: boolean): Promise<number>;
}

/**
 * A table in two tiers, as a log-structured store keeps them: writes go to the small recent tier, bulk loads
 * (`add`: rows known to be absent) to the main one, and maintenance folds the recent rows into the main tier.
 * A row in the recent tier supersedes its id's row in the main one, which searches skip (`searchBoth`); scans
 * and counts do.
 */
export function createTieredTable<Row extends KeyedRow>(spec: {
  main: Tier;
  recent: Tier;
  idColumn: string;
  mainSchema: Schema;
  /** A batch of rows as the main tier's columns. */
  columnsOf: (rows: Row[]) => Record<string, ColumnValues>;
  check?: (row: Row) => void;
}): TieredTable<Row> {
  const { main, recent, idColumn, mainSchema, columnsOf, check } = spec;
  const recentSchema = recentSchemaOf(mainSchema);
  const mainRows = createKeyedTable<Row>(
    main.table,
    idColumn,
    (rows) => arrowTable(mainSchema, columnsOf(rows), rows.length),
    main.writes,
    check,
  );
  const recentRows = createKeyedTable<Row>(
    recent.table,
    idColumn,
    (rows) =>
      arrowTable(recentSchema, { ...columnsOf(rows), [WRITE_ID]: rows.map(() => randomUUID()) }, rows.length),
    recent.writes,
    check,
  );

  // Read again only when the tier's version changed: asking for it took 0.2-0.3 ms, reading 965 ids 2.5.
  let recentHeld: { version: number; rows: RecentRows } | undefined;
  const heldRecent = async (): Promise<RecentRows> => {
    const version = await recent.table.version();
    if (recentHeld?.version !== version) {
      const rows = (await recent.table.query().select([idColumn, "uid"]).toArray()) as Record<
        string,
        unknown
      >[];
      recentHeld = {
        version,
        rows: {
          ids: new Set(rows.map((row) => String(row[idColumn]))),
          users: new Set(rows.map((row) => String(row.uid))),
        },
      };
    }
    return recentHeld.rows;
  };
  const foldDue = async (all: boolean) => (await recent.table.countRows()) >= (all ? 1 : FOLD_AT_ROWS);

  return {
    upsert: (rows) => recentRows.upsert(rows),
    add: (rows) => mainRows.add(rows),
    async delete(ids) {
      await recentRows.delete(ids);
      await mainRows.delete(ids);
    },
    async deleteByUser(uid) {
      await recentRows.deleteByUser(uid);
      await mainRows.deleteByUser(uid);
    },
    // The user's rows of both tiers, less the main tier's that recent ones supersede.
    async count(uid) {
      const user = uid === undefined ? [] : [`uid = ${sqlString(uid)}`];
      let superseded = 0;
      for (const part of chunks([...(await heldRecent()).ids]))
        superseded += await main.table.countRows([...user, inList(idColumn, part)].join(" AND "));
      return (await recentRows.count(uid)) + (await mainRows.count(uid)) - superseded;
    },
    async *scanIds(batchSize = 5000) {
      const seen = new Set<string>();
      for await (const batch of recentRows.scanIds(batchSize)) {
        for (const row of batch) seen.add(row.id);
        yield batch;
      }
      for await (const batch of mainRows.scanIds(batchSize)) {
        const rest = batch.filter((row) => !seen.has(row.id));
        if (rest.length > 0) yield rest;
      }
    },
    async searchBoth(uid, searchTier, rank, limit) {
      const { ids: superseded, users } = await heldRecent();
      const [fresh, folded] = await Promise.all([
        users.has(uid) ? searchTier(recent.table, "recent") : [],
        searchTier(main.table, "main"),
      ]);
      return [...fresh, ...folded.filter((hit) => !superseded.has(hit.id))].sort(rank).slice(0, limit);
    },
    foldDue,
    // Both tiers' writes in this process wait; a row another process rewrites meanwhile has a new write id,
    // stays in the recent tier and supersedes the one moved.
    async fold(all) {
      if (!(await foldDue(all))) return 0;
      return recent.writes.queue(() =>
        main.writes.queue(async () => {
          const rows = await recent.table.query().toArrow();
          if (rows.numRows === 0) return 0;
          await main.writes.clock.versioned(() =>
            main.table
              .mergeInsert(idColumn)
              .whenMatchedUpdateAll()
              .whenNotMatchedInsertAll()
              .execute(rows.select(mainSchema.fields.map((field) => field.name))),
          );
          const column = rows.getChild(WRITE_ID);
          const writeIds = Array.from({ length: rows.numRows }, (_, i) => String(column?.get(i)));
          for (const part of chunks(writeIds)) await recent.table.delete(inList(WRITE_ID, part));
          return rows.numRows;
        }),
      );
    },
  };
}
