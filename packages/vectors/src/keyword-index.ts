import { randomUUID } from "node:crypto";

import type { Table } from "@lancedb/lancedb";
import { Index } from "@lancedb/lancedb";
import { Field, Schema, Utf8 } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString } from "./filters";
import type { TableWrites } from "./serial";
import { createKeyedTable } from "./keyed-table";
import { MAX_TERM_LENGTH, memoTermsOf } from "./keyword-terms";
import type { KeyedRow } from "./keyed-table";
import type { KeywordHit, KeywordIndex, KeywordRow } from "./types";

/** A query's terms beyond this many add little and cost a posting list each. */
const MAX_QUERY_TERMS = 16;

/**
 * The recent tier holds at most about this many rows before maintenance folds them into the main one. Each
 * maintenance of a table with a full-text index rewrites its data and merges its index whole (at 20,000 memos
 * 2-3 s under writes, every 50 creates); the recent tier's stays that of this many rows, the main tier's is paid
 * once per fold.
 */
export const KEYWORD_FOLD_ROWS = 2000;

const keywordFields = [
  new Field("memoId", new Utf8(), false),
  new Field("uid", new Utf8(), false),
  new Field("terms", new Utf8(), false),
];
export const keywordSchema = new Schema(keywordFields);
/** The recent tier's rows also carry a token of the write that made them, so a fold removes only those. */
export const recentKeywordSchema = new Schema([...keywordFields, new Field("writeId", new Utf8(), false)]);

/**
 * The terms are ours (`memoTermsOf`: words with their prefixes, CJK characters and pairs), joined by spaces,
 * so the index only splits on whitespace: LanceDB's own tokenizers either drop CJK pairs or, as ngrams over
 * the raw text, cost 4-7x more per English query (measured in the README). A fresh config each time: an
 * `Index` can be used once.
 */
const keywordIndexConfig = () =>
  Index.fts({
    baseTokenizer: "whitespace",
    lowercase: false,
    stem: false,
    removeStopWords: false,
    asciiFolding: false,
    withPosition: false,
    // Bytes: a term is at most MAX_TERM_LENGTH characters of up to 4 UTF-8 bytes each.
    maxTokenLength: MAX_TERM_LENGTH * 4,
  });

/** Makes sure the table has its full-text index; a search of a table without one silently finds nothing. */
export async function ensureKeywordIndex(table: Table): Promise<void> {
  const indices = await table.listIndices();
  if (indices.some((index) => index.columns.includes("terms"))) return;
  await table
    .createIndex("terms", { config: keywordIndexConfig(), replace: false })
    .catch(async (error: unknown) => {
      // Another process created it first.
      if (!(await table.listIndices()).some((index) => index.columns.includes("terms"))) throw error;
    });
}

const termsOf = (rows: KeywordRow[]) =>
  rows.map((row) => memoTermsOf(row.text, { prefixes: true }).join(" "));

export interface KeywordTier {
  table: Table;
  writes: TableWrites;
}

/**
 * memo_texts in two tiers, as a log-structured index keeps them: writes go to the small recent tier
 * (memo_texts_recent), bulk loads to the main one, and maintenance folds the recent rows into the main tier once
 * there are `foldRows` of them, or all of them when it consolidates. A memo in the recent tier supersedes its row in the main tier, which searches
 * and scans skip.
 */
export function createKeywordIndex(
  main: KeywordTier,
  recent: KeywordTier,
  foldRows = KEYWORD_FOLD_ROWS,
): KeywordIndex & { foldDue(all: boolean): Promise<boolean>; fold(all: boolean): Promise<number> } {
  const mainRows = createKeyedTable<KeywordRow>(
    main.table,
    "memoId",
    (rows) =>
      arrowTable(
        keywordSchema,
        { memoId: rows.map((r) => r.id), uid: rows.map((r) => r.uid), terms: termsOf(rows) },
        rows.length,
      ),
    main.writes,
  );
  const recentRows = createKeyedTable<KeywordRow>(
    recent.table,
    "memoId",
    (rows) =>
      arrowTable(
        recentKeywordSchema,
        {
          memoId: rows.map((r) => r.id),
          uid: rows.map((r) => r.uid),
          terms: termsOf(rows),
          writeId: rows.map(() => randomUUID()),
        },
        rows.length,
      ),
    recent.writes,
  );
  const searchTier = async (table: Table, uid: string, terms: string[], limit: number) =>
    // Rows written since the tier's last maintenance are not in its index yet; LanceDB scans them too.
    (await table
      .query()
      .fullTextSearch(terms.join(" "), { columns: ["terms"] })
      .where(`uid = ${sqlString(uid)}`)
      .select(["memoId", "_score"])
      .limit(limit)
      .toArray()) as { memoId: string; _score: number }[];
  /**
   * The recent tier's memo ids, which a search needs to skip the folded rows they supersede: read again only when
   * the tier's version changed (asking for it took 0.2-0.3 ms, reading the ids of 965 rows 2.5).
   */
  let recentIds: { version: number; ids: Set<string> } | undefined;
  const recentIdsNow = async () => {
    const version = await recent.table.version();
    if (recentIds?.version !== version) {
      const rows = (await recent.table.query().select(["memoId"]).toArray()) as { memoId: string }[];
      recentIds = { version, ids: new Set(rows.map((row) => String(row.memoId))) };
    }
    return recentIds.ids;
  };
  const foldDue = async (all: boolean) => (await recent.table.countRows()) >= (all ? 1 : foldRows);
  /** Every (id, uid) of both tiers, optionally of one user, the recent tier's first. */
  async function* scanBoth(uid: string | undefined, batchSize: number) {
    const where = uid === undefined ? undefined : `uid = ${sqlString(uid)}`;
    const seen = new Set<string>();
    for (const table of [recent.table, main.table]) {
      let batch: KeyedRow[] = [];
      const query = table.query().select(["memoId", "uid"]);
      for await (const records of where ? query.where(where) : query) {
        const ids = records.getChild("memoId");
        const uids = records.getChild("uid");
        for (let i = 0; i < records.numRows; i++) {
          const id = String(ids?.get(i));
          if (table === recent.table) seen.add(id);
          else if (seen.has(id)) continue;
          batch.push({ id, uid: String(uids?.get(i)) });
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    }
  }

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
    async count(uid) {
      let n = 0;
      for await (const batch of scanBoth(uid, 5000)) n += batch.length;
      return n;
    },
    scanIds: (batchSize = 5000) => scanBoth(undefined, batchSize),
    async search(uid, query, { limit }): Promise<KeywordHit[]> {
      const terms = memoTermsOf(query, { limit: MAX_QUERY_TERMS });
      if (terms.length === 0) return [];
      const [fresh, folded, superseded] = await Promise.all([
        searchTier(recent.table, uid, terms, limit),
        searchTier(main.table, uid, terms, limit),
        recentIdsNow(),
      ]);
      // BM25 of two tiers: each scored against its own rows, which is as comparable as one answer's scores get.
      return [...fresh, ...folded.filter((row) => !superseded.has(String(row.memoId)))]
        .map((row) => ({ id: String(row.memoId), score: Number(row._score) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
    /** Whether the recent tier holds `foldRows` rows, or any at all when folding `all`. */
    foldDue,
    /**
     * Moves the recent tier's rows into the main one when `foldDue`; answers how many moved.
     * Both tiers' writes in this process wait; a row another process rewrites meanwhile has a new write id, stays
     * in the recent tier and supersedes the one moved.
     */
    async fold(all) {
      if (!(await foldDue(all))) return 0;
      return recent.writes.queue(() =>
        main.writes.queue(async () => {
          const rows = await recent.table.query().select(["memoId", "uid", "terms", "writeId"]).toArrow();
          if (rows.numRows === 0) return 0;
          await main.writes.clock.versioned(() =>
            main.table
              .mergeInsert("memoId")
              .whenMatchedUpdateAll()
              .whenNotMatchedInsertAll()
              .execute(rows.select(["memoId", "uid", "terms"])),
          );
          const column = rows.getChild("writeId");
          const writeIds = Array.from({ length: rows.numRows }, (_, i) => String(column?.get(i)));
          for (const part of chunks(writeIds)) await recent.table.delete(inList("writeId", part));
          return rows.numRows;
        }),
      );
    },
  };
}
