import type { Table } from "@lancedb/lancedb";

import { chunks, inList, sqlString } from "./filters";
import type { TableWrites } from "./serial";
import { createCoalescingQueue } from "./serial";

/** What every derived table holds: the MySQL id of its source row and that row's owner. */
export interface KeyedRow {
  id: string;
  uid: string;
}

/** The writes and scans shared by the tables keyed by a MySQL id (vectors, keyword terms). */
export interface KeyedTable<Row extends KeyedRow> {
  upsert(rows: Row[]): Promise<void>;
  /** Appends rows the caller knows are absent (a bulk load that read the table's ids once, up front). */
  add(rows: Row[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  deleteByUser(uid: string): Promise<void>;
  count(uid?: string): Promise<number>;
  /** Every (id, uid) in the table, in batches, for drift repair. */
  scanIds(batchSize?: number): AsyncIterable<KeyedRow[]>;
}

/** A write waiting for its table: rows to upsert or append, ids to delete, or a user's rows to delete. */
type Write<Row> =
  | { kind: "upsert" | "add"; rows: Row[] }
  | { kind: "delete"; ids: string[] }
  | { kind: "deleteUser"; uid: string };

/** Rows or ids one coalesced commit takes at most (the writes behind it wait for the next). */
const MAX_COALESCED = 5000;

/**
 * Writes go through one coalescing queue per table (see `createCoalescingQueue`): concurrent writes of one kind
 * become one commit, the last row per id winning as it would across calls; upserts and deletes keep their order.
 */
export function createKeyedTable<Row extends KeyedRow>(
  table: Table,
  idColumn: string,
  toRecords: (rows: Row[]) => Parameters<Table["add"]>[0],
  writes: TableWrites,
  check: (row: Row) => void = () => undefined,
): KeyedTable<Row> {
  const { clock } = writes;
  const latestOf = (rows: Row[]) => [...new Map(rows.map((row) => [row.id, row])).values()];
  const sizeOf = (w: Write<Row>) =>
    w.kind === "deleteUser" ? 1 : w.kind === "delete" ? w.ids.length : w.rows.length;
  const rowsOf = (w: Write<Row>) => (w.kind === "upsert" || w.kind === "add" ? w.rows : []);
  const commit = async (writes: Write<Row>[]) => {
    const first = writes[0]!;
    const { kind } = first;
    if (first.kind === "deleteUser") {
      await table.delete(`uid = ${sqlString(first.uid)}`);
    } else if (kind === "delete") {
      const ids = new Set(writes.flatMap((w) => (w.kind === "delete" ? w.ids : [])));
      for (const part of chunks([...ids])) await table.delete(inList(idColumn, part));
    } else {
      for (const part of chunks(latestOf(writes.flatMap(rowsOf)))) {
        if (kind === "add") await clock.versioned(() => table.add(toRecords(part)));
        else
          await clock.versioned(() =>
            table
              .mergeInsert(idColumn)
              .whenMatchedUpdateAll()
              .whenNotMatchedInsertAll()
              .execute(toRecords(part)),
          );
      }
    }
    return writes.map(() => undefined);
  };
  const write = createCoalescingQueue<Write<Row>, undefined>(
    commit,
    (batch, next) =>
      next.kind === batch[0]!.kind &&
      next.kind !== "deleteUser" &&
      batch.reduce((n, w) => n + sizeOf(w), sizeOf(next)) <= MAX_COALESCED,
    writes,
  );
  const enqueue = async (w: Write<Row>) => {
    if (sizeOf(w) > 0) await write(w);
  };

  return {
    upsert(rows) {
      rows.forEach(check);
      return enqueue({ kind: "upsert", rows });
    },
    add(rows) {
      rows.forEach(check);
      return enqueue({ kind: "add", rows });
    },
    delete(ids) {
      return enqueue({ kind: "delete", ids });
    },
    async deleteByUser(uid) {
      await write({ kind: "deleteUser", uid });
    },
    count(uid) {
      return table.countRows(uid === undefined ? undefined : `uid = ${sqlString(uid)}`);
    },
    async *scanIds(batchSize = 5000) {
      let batch: KeyedRow[] = [];
      for await (const recordBatch of table.query().select([idColumn, "uid"])) {
        const ids = recordBatch.getChild(idColumn);
        const uids = recordBatch.getChild("uid");
        for (let i = 0; i < recordBatch.numRows; i++) {
          batch.push({ id: String(ids?.get(i)), uid: String(uids?.get(i)) });
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}
