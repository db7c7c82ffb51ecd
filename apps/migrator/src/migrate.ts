import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

import type { DbHandle } from "@aimo/db";
import { mysqlError, mysqlErrorCode, recountTagsSql } from "@aimo/db";
import type { KeyedRow, KeyedTable, MaintenanceReport, VectorStore } from "@aimo/vectors";
import { cacheKeyOf } from "@aimo/vectors";
import type { MySqlTable } from "drizzle-orm/mysql-core";
import pRetry from "p-retry";

import type { LegacySource } from "./legacy/reader";
import { bulkInsert } from "./bulk-insert";
import { collationKeysOf } from "./collation";
import { buildMappingContext } from "./tables/context";
import type { MappedRecord, Repairs, TableSpec } from "./tables/specs";
import { countRepair, TABLE_SPECS } from "./tables/specs";
import { RecordError } from "./tables/values";
import { existingIds } from "./target";

export const CACHE_TABLES = ["embedding_cache", "multimodal_embedding_cache"] as const;
export const ALL_TABLES = [...TABLE_SPECS.map((s) => s.name), ...CACHE_TABLES];

export interface TableSummary {
  table: string;
  total: number;
  migrated: number;
  failed: number;
  skipped: number;
}

export interface Failure {
  table: string;
  id: string;
  reason: string;
}

export interface MigrationReport {
  dryRun: boolean;
  tables: TableSummary[];
  failures: Failure[];
  repairs: Record<string, number>;
  /** Added by `migrate:data`'s index phases (phase.ts): the LanceDB tables compacted and indexed. */
  maintenance?: MaintenanceReport;
}

export interface MigrateOptions {
  tables: string[];
  batchSize: number;
  retries: number;
  dryRun: boolean;
  attachments?: { source: string; target: string };
  onProgress?: (summary: TableSummary) => void;
  onTableStart?: (table: string, total: number) => void;
}

const TRANSIENT = new Set([
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "PROTOCOL_CONNECTION_LOST",
  "ECONNRESET",
  "ETIMEDOUT",
]);

function reasonOf(error: unknown): string {
  const driver = mysqlError(error);
  if (driver?.sqlMessage === undefined) return error instanceof Error ? error.message : String(error);
  if (driver.code === "ER_NO_REFERENCED_ROW_2")
    return `its owner or parent does not exist (${driver.sqlMessage})`;
  return driver.sqlMessage;
}

/**
 * Copies the legacy store into MySQL and LanceDB: tables in dependency order, batches, idempotently. The
 * LanceDB tables are left for `maintain()` to compact and index (`migrate:data` does it in a process of its own).
 */
export async function migrateLegacy(
  source: LegacySource,
  handle: DbHandle,
  vectors: VectorStore | null,
  options: MigrateOptions,
): Promise<MigrationReport> {
  const repairs: Repairs = new Map();
  const failures: Failure[] = [];
  const summaries: TableSummary[] = [];
  const ctx = await buildMappingContext(source, collationKeysOf(handle));
  const retry = <T>(fn: () => Promise<T>) =>
    pRetry(fn, {
      retries: options.retries,
      minTimeout: 100,
      factor: 2,
      shouldRetry: ({ error }) => TRANSIENT.has(mysqlErrorCode(error) ?? ""),
    });

  for (const spec of TABLE_SPECS.filter((s) => options.tables.includes(s.name))) {
    const summary: TableSummary = {
      table: spec.name,
      total: await source.count(spec.name),
      migrated: 0,
      failed: 0,
      skipped: 0,
    };
    options.onTableStart?.(spec.name, summary.total);
    const lanceIds = createLanceIds();
    // Two stages overlap: a batch's vectors and keyword text go to LanceDB while the previous batch's rows
    // go to MySQL (each waits on a different store). A batch's own rows still follow its vectors.
    let rowsInFlight: { ids: Set<string>; done: Promise<void> } | null = null;
    for await (const rows of source.batches(spec.name, options.batchSize)) {
      const owners = spec.ownersOf ? await spec.ownersOf(rows, handle) : new Map<string, string>();
      const mapped: MappedRecord[] = [];
      for (const row of rows) {
        try {
          const record = spec.map(row, ctx, repairs, owners);
          if (record) mapped.push(record);
          else summary.skipped++;
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          failures.push({ table: spec.name, id: String(row[spec.legacyIdColumn]), reason: error.message });
          summary.failed++;
        }
      }
      const existing = await existingIds(
        handle,
        spec.target,
        mapped.map((m) => m.id),
      );
      // A source id repeated in the batch still being written counts as existing, as it will once committed.
      const fresh = mapped.filter((m) => !existing.has(m.id) && !rowsInFlight?.ids.has(m.id));
      summary.skipped += mapped.length - fresh.length;
      if (options.dryRun) {
        summary.migrated += fresh.length;
      } else if (fresh.length) {
        await Promise.all([writeVectors(spec, fresh, vectors, lanceIds, retry), rowsInFlight?.done]);
        const done = writeRows(spec, fresh, handle, vectors, retry, summary, failures, repairs).then(() =>
          options.onProgress?.(summary),
        );
        // Awaited with the next batch or after the last; this keeps a failure of the next batch's reading,
        // thrown first, from leaving this one's failure unhandled (which would end the process).
        done.catch(() => undefined);
        rowsInFlight = { ids: new Set(fresh.map((r) => r.id)), done };
      }
      if (spec.name === "attachments" && options.attachments && !options.dryRun) {
        await copyAttachmentFiles(mapped, options.attachments, repairs);
      }
      options.onProgress?.(summary);
    }
    await rowsInFlight?.done;
    summaries.push(summary);
  }

  for (const table of CACHE_TABLES.filter((t) => options.tables.includes(t))) {
    summaries.push(await migrateCache(source, table, vectors, options, repairs));
  }

  if (!options.dryRun && options.tables.some((t) => t === "memos" || t === "tags")) {
    // The legacy counters drift; the new ones are what the links say.
    const [result] = await handle.db.execute(recountTagsSql());
    countRepair(
      repairs,
      "tag usage counts recomputed",
      Number((result as { changedRows?: number }).changedRows ?? 0),
    );
  }
  return {
    dryRun: options.dryRun,
    tables: summaries,
    failures,
    repairs: Object.fromEntries(repairs),
  };
}

/**
 * The ids each LanceDB table held when a table's copy began, read once: only a killed run leaves rows there
 * whose MySQL rows are missing, and a source's vector never changes, so those are skipped and every other
 * row is appended without a lookup per batch (a lookup scans the table's unindexed fragments, which grow
 * with the copy).
 */
function createLanceIds() {
  const held = new Map<KeyedTable<KeyedRow>, Promise<Set<string>>>();
  const read = async (table: KeyedTable<KeyedRow>) => {
    const ids = new Set<string>();
    for await (const batch of table.scanIds()) for (const { id } of batch) ids.add(id);
    return ids;
  };
  return async <Row extends KeyedRow>(table: KeyedTable<Row>, rows: Row[]) => {
    if (!held.has(table)) held.set(table, read(table));
    const ids = await held.get(table)!;
    await table.add(rows.filter((row) => !ids.has(row.id)));
  };
}

/**
 * A batch's vectors and keyword text, written before its MySQL rows (`writeRows`): a kill between the two
 * leaves rows that the next run inserts, never a row without its vector (see `createLanceIds`).
 */
async function writeVectors(
  spec: TableSpec,
  records: MappedRecord[],
  vectors: VectorStore | null,
  addAbsent: ReturnType<typeof createLanceIds>,
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
) {
  const withVectors = records.filter((r) => r.vector);
  const withText = records.filter((r) => r.keywordText !== undefined);
  await Promise.all([
    spec.vectorTable &&
      vectors &&
      withVectors.length &&
      retry(() =>
        addAbsent(
          vectors[spec.vectorTable!],
          withVectors.map((r) => ({ id: r.id, uid: r.vector!.uid, vector: r.vector!.vector })),
        ),
      ),
    vectors &&
      withText.length &&
      retry(() =>
        addAbsent(
          vectors.memoTexts,
          withText.map((r) => ({ id: r.id, uid: String(r.row.uid), text: r.keywordText! })),
        ),
      ),
  ]);
}

/** A batch's MySQL rows in one transaction; a failed batch is retried row by row so a bad record fails alone. */
async function writeRows(
  spec: TableSpec,
  records: MappedRecord[],
  handle: DbHandle,
  vectors: VectorStore | null,
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
  summary: TableSummary,
  failures: Failure[],
  repairs: Repairs,
) {
  // Built once per record, here rather than when mapping: records already migrated never need them.
  const childrenOf = new Map(records.map((r) => [r, r.children?.() ?? []]));
  const insert = (batch: MappedRecord[]) => {
    const children = new Map<MySqlTable, Record<string, unknown>[]>();
    for (const child of batch.flatMap((r) => childrenOf.get(r)!)) {
      const rows = children.get(child.table) ?? [];
      rows.push(...child.rows);
      children.set(child.table, rows);
    }
    return bulkInsert(handle, [
      { table: spec.target, rows: batch.map((r) => r.row) },
      ...[...children].map(([table, rows]) => ({ table, rows })),
    ]);
  };
  try {
    await retry(() => insert(records));
    summary.migrated += records.length;
    return;
  } catch {
    // Falls through to one record at a time.
  }
  for (const record of records) {
    try {
      await retry(() => insert([record]));
      summary.migrated++;
    } catch (error) {
      if (spec.collapseDuplicates && mysqlErrorCode(error) === "ER_DUP_ENTRY") {
        countRepair(repairs, spec.collapseDuplicates);
        summary.skipped++;
      } else {
        failures.push({ table: spec.name, id: record.id, reason: reasonOf(error) });
        summary.failed++;
        // Its vector and terms went in first; a record that did not land must not leave them behind.
        if (spec.vectorTable && vectors && record.vector) await vectors[spec.vectorTable].delete([record.id]);
        if (vectors && record.keywordText !== undefined) await vectors.memoTexts.delete([record.id]);
      }
    }
  }
}

async function copyAttachmentFiles(
  records: MappedRecord[],
  dirs: { source: string; target: string },
  repairs: Repairs,
) {
  for (const record of records) {
    const key = String(record.row.path);
    const from = join(dirs.source, key);
    const to = join(dirs.target, key);
    if (await stat(to).catch(() => null)) continue;
    if (!(await stat(from).catch(() => null))) {
      countRepair(repairs, "attachment files missing from the source");
      continue;
    }
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
}

/** Cache rows are copied as they are (their keys are compatible); duplicate keys collapse into one. */
async function migrateCache(
  source: LegacySource,
  table: (typeof CACHE_TABLES)[number],
  vectors: VectorStore | null,
  options: MigrateOptions,
  repairs: Repairs,
): Promise<TableSummary> {
  const summary: TableSummary = {
    table,
    total: await source.count(table),
    migrated: 0,
    failed: 0,
    skipped: 0,
  };
  options.onTableStart?.(table, summary.total);
  const cache = table === "embedding_cache" ? vectors?.embeddingCache : vectors?.multimodalCache;
  // The keys the cache held when the copy began, read once (a lookup per batch scans the growing table).
  const held = cache ? await cache.keys() : new Set<string>();
  for await (const rows of source.batches(table, options.batchSize)) {
    const entries = rows.map((row) => ({
      modelHash: String(row.modelHash),
      contentHash: String(row.contentHash),
      ...(table === "multimodal_embedding_cache" ? { modalityType: String(row.modalityType) } : {}),
      vector: row.embedding as Float32Array,
    }));
    const distinct = new Map(entries.map((e) => [cacheKeyOf(e), e]));
    countRepair(repairs, "duplicate cache rows collapsed", entries.length - distinct.size);
    const fresh = [...distinct].filter(([key]) => !held.has(key));
    if (cache && !options.dryRun) await cache.append(fresh.map(([, e]) => e));
    for (const [key] of fresh) held.add(key);
    summary.migrated += fresh.length;
    summary.skipped += entries.length - fresh.length;
    options.onProgress?.(summary);
  }
  return summary;
}
