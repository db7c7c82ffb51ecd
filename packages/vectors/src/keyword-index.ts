import type { Table } from "@lancedb/lancedb";
import { Index } from "@lancedb/lancedb";
import { Field, Schema, Utf8 } from "apache-arrow";

import { sqlString } from "./filters";
import { MAX_TERM_LENGTH, memoTermsOf } from "./keyword-terms";
import type { Tier, TieredTable } from "./tiers";
import { createTieredTable, recentSchemaOf } from "./tiers";
import type { KeywordHit, KeywordIndex, KeywordRow } from "./types";

/** A query's terms beyond this many add little and cost a posting list each. */
const MAX_QUERY_TERMS = 16;

export const keywordSchema = new Schema([
  new Field("memoId", new Utf8(), false),
  new Field("uid", new Utf8(), false),
  new Field("terms", new Utf8(), false),
]);
export const recentKeywordSchema = recentSchemaOf(keywordSchema);

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

/**
 * memo_texts in two tiers (see tiers.ts): memo_texts_recent takes the writes, memo_texts the bulk loads and the
 * folded rows. A search asks both and skips the folded rows that recent ones supersede.
 */
export function createKeywordIndex(
  main: Tier,
  recent: Tier,
): KeywordIndex & Pick<TieredTable<KeywordRow>, "foldDue" | "fold"> {
  const tiers = createTieredTable<KeywordRow>({
    main,
    recent,
    idColumn: "memoId",
    mainSchema: keywordSchema,
    columnsOf: (rows) => ({
      memoId: rows.map((row) => row.id),
      uid: rows.map((row) => row.uid),
      terms: rows.map((row) => memoTermsOf(row.text, { prefixes: true }).join(" ")),
    }),
  });
  // Rows written since a tier's last maintenance are not in its index yet; LanceDB scans them too.
  const searchTier = async (table: Table, uid: string, terms: string[], limit: number) =>
    (
      (await table
        .query()
        .fullTextSearch(terms.join(" "), { columns: ["terms"] })
        .where(`uid = ${sqlString(uid)}`)
        .select(["memoId", "_score"])
        .limit(limit)
        .toArray()) as { memoId: string; _score: number }[]
    ).map((row) => ({ id: String(row.memoId), score: Number(row._score) }));
  return {
    ...tiers,
    async search(uid, query, { limit }): Promise<KeywordHit[]> {
      const terms = memoTermsOf(query, { limit: MAX_QUERY_TERMS });
      if (terms.length === 0) return [];
      // BM25 of two tiers: each scored against its own rows, which is as comparable as one answer's scores get.
      return tiers.searchBoth(
        uid,
        (table) => searchTier(table, uid, terms, limit),
        (a, b) => b.score - a.score,
        limit,
      );
    },
  };
}
