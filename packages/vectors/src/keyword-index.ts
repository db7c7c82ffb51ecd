import type { Table } from "@lancedb/lancedb";
import { Index } from "@lancedb/lancedb";
import { Field, Schema, Utf8 } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { sqlString } from "./filters";
import type { TableWrites } from "./serial";
import { createKeyedTable } from "./keyed-table";
import { MAX_TERM_LENGTH, memoTermsOf } from "./keyword-terms";
import type { KeywordHit, KeywordIndex, KeywordRow } from "./types";

/** A query's terms beyond this many add little and cost a posting list each. */
const MAX_QUERY_TERMS = 16;

export const keywordSchema = new Schema([
  new Field("memoId", new Utf8(), false),
  new Field("uid", new Utf8(), false),
  new Field("terms", new Utf8(), false),
]);

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

export function createKeywordIndex(table: Table, writes: TableWrites): KeywordIndex {
  const keyed = createKeyedTable<KeywordRow>(
    table,
    "memoId",
    (rows) =>
      arrowTable(
        keywordSchema,
        {
          memoId: rows.map((row) => row.id),
          uid: rows.map((row) => row.uid),
          terms: rows.map((row) => memoTermsOf(row.text, { prefixes: true }).join(" ")),
        },
        rows.length,
      ),
    writes,
  );
  return {
    ...keyed,
    async search(uid, query, { limit }): Promise<KeywordHit[]> {
      const terms = memoTermsOf(query, { limit: MAX_QUERY_TERMS });
      if (terms.length === 0) return [];
      // Rows written since the last maintenance are not in the index yet; LanceDB scans them too.
      const rows = (await table
        .query()
        .fullTextSearch(terms.join(" "), { columns: ["terms"] })
        .where(`uid = ${sqlString(uid)}`)
        .select(["memoId", "_score"])
        .limit(limit)
        .toArray()) as { memoId: string; _score: number }[];
      return rows.map((row) => ({ id: String(row.memoId), score: Number(row._score) }));
    },
  };
}
