import type { Table } from "@lancedb/lancedb";

import { chunks, inList, sqlString } from "./filters";
import { createSerialQueue } from "./serial";

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

/**
 * Writes go through one serial queue per table: each is a new table version, and concurrent commits in one
 * process only fight over the manifest and retry, so queueing them is both faster and safer.
 */
export function createKeyedTable<Row extends KeyedRow>(
  table: Table,
  idColumn: string,
  toRecords: (rows: Row[]) => Parameters<Table["add"]>[0],
  options: { check?: (row: Row) => void; onCommit?: () => void } = {},
): KeyedTable<Row> {
  const { check = () => undefined, onCommit = () => undefined } = options;
  const serial = createSerialQueue(onCommit);
  /** The rows to write, one per id (the last one wins, as it would across calls), each checked. */
  const latestOf = (rows: Row[]) => {
    rows.forEach(check);
    return [...new Map(rows.map((row) => [row.id, row])).values()];
  };
  return {
    async upsert(rows) {
      for (const part of chunks(latestOf(rows))) {
        await serial(() =>
          table
            .mergeInsert(idColumn)
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute(toRecords(part)),
        );
      }
    },
    async add(rows) {
      for (const part of chunks(latestOf(rows))) await serial(() => table.add(toRecords(part)));
    },
    async delete(ids) {
      for (const part of chunks([...new Set(ids)])) {
        await serial(() => table.delete(inList(idColumn, part)));
      }
    },
    async deleteByUser(uid) {
      await serial(() => table.delete(`uid = ${sqlString(uid)}`));
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
