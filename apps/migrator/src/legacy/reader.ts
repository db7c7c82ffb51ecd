import { existsSync } from "node:fs";

import type { Table } from "@lancedb/lancedb";
import { connect } from "@lancedb/lancedb";

/** A row of a legacy table with Arrow values turned into plain JS: lists as arrays, vectors as Float32Array. */
export type LegacyRow = Record<string, unknown>;

export interface LegacySource {
  tables: Set<string>;
  /** Column names of a table, read from its schema (column order and presence vary between installs). */
  columns(table: string): Promise<string[]>;
  /** The list size of a FixedSizeList column: the embedding dimension the source was built with. */
  dimensions(table: string, column: string): Promise<number | undefined>;
  count(table: string): Promise<number>;
  /** Streams a table in record batches of about `batchSize` rows; memory stays flat as the table grows. */
  batches(table: string, batchSize: number, columns?: string[]): AsyncIterable<LegacyRow[]>;
  close(): void;
}

interface ArrowLike {
  toArray?: () => unknown;
  toJSON?: () => unknown;
}

function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object") return value;
  if (value instanceof Float32Array) return new Float32Array(value);
  const arrow = value as ArrowLike;
  const array = typeof arrow.toArray === "function" ? arrow.toArray() : undefined;
  // Vectors keep their Float32Array; lists become arrays; struct rows (whose toJSON is an object) become objects.
  if (array instanceof Float32Array) return new Float32Array(array);
  const json = typeof arrow.toJSON === "function" ? arrow.toJSON() : undefined;
  if (json && typeof json === "object" && !Array.isArray(json)) {
    return Object.fromEntries(
      Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, toPlain(v)]),
    );
  }
  if (array !== undefined) return Array.from(array as ArrayLike<unknown>, toPlain);
  return value;
}

/** Opens the legacy LanceDB store for reading only: nothing here writes, optimizes or cleans it. */
export async function openLegacySource(uri: string): Promise<LegacySource> {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !existsSync(uri))
    throw new Error(`The legacy store ${uri} does not exist`);
  const db = await connect(uri);
  const tables = new Set(await db.tableNames());
  if (!tables.has("users") && !tables.has("memos")) {
    db.close();
    throw new Error(`${uri} holds no legacy AIMO tables (users, memos, ...)`);
  }
  const opened = new Map<string, Table>();
  const open = async (name: string) => {
    let table = opened.get(name);
    if (!table) opened.set(name, (table = await db.openTable(name)));
    return table;
  };
  return {
    tables,
    async columns(name) {
      return (await (await open(name)).schema()).fields.map((f) => f.name);
    },
    async dimensions(name, column) {
      const field = (await (await open(name)).schema()).fields.find((f) => f.name === column);
      const listSize = (field?.type as { listSize?: unknown } | undefined)?.listSize;
      return typeof listSize === "number" ? listSize : undefined;
    },
    async count(name) {
      return tables.has(name) ? (await open(name)).countRows() : 0;
    },
    async *batches(name, batchSize, columns) {
      if (!tables.has(name)) return;
      const table = await open(name);
      // Page by offset rather than one long scan: LanceDB's stream reads ahead without limit, so memory would
      // grow with the table; a page is read, converted and handed over before the next one is asked for.
      const pageSize = Math.max(batchSize, 1000);
      for (let offset = 0; ; offset += pageSize) {
        const query = (columns ? table.query().select(columns) : table.query())
          .limit(pageSize)
          .offset(offset);
        let rows: LegacyRow[] = [];
        let read = 0;
        for await (const batch of query) {
          const fields = batch.schema.fields.map((f) => f.name);
          const children = fields.map((f) => batch.getChild(f));
          for (let i = 0; i < batch.numRows; i++) {
            const row: LegacyRow = {};
            fields.forEach((field, c) => (row[field] = toPlain(children[c]?.get(i))));
            rows.push(row);
            read++;
            if (rows.length >= batchSize) {
              yield rows;
              rows = [];
            }
          }
        }
        if (rows.length > 0) yield rows;
        if (read < pageSize) return;
      }
    },
    close() {
      for (const table of opened.values()) table.close();
      db.close();
    },
  };
}
