import { memos } from "@aimo/db";
import { memoTermsOf } from "@aimo/vectors";
import { desc, or, sql } from "drizzle-orm";

import type { ApiDeps } from "../../context";
import type { MemoFilters } from "../../schemas/memo";
import { escapeLike, memoFilterSql } from "../memo-queries";

/** A search's text and the memo filters its hits must pass. */
type KeywordQuery = MemoFilters & { query: string };

export interface KeywordLeg {
  ids: string[];
  /** LanceDB could not answer: the ids come from a plain scan of the user's newest memos. */
  degraded: boolean;
}

/** How many of a user's newest memos the fallback scan reads at most, so it stays fast on any account. */
const FALLBACK_SCAN_ROWS = 5000;
const FALLBACK_TERMS = 8;

/**
 * The keyword leg: the user's memos holding the query's terms, best first, from the full-text index in
 * LanceDB (`memo_texts`). Filters are applied when the hits are read from MySQL. When LanceDB fails, the
 * user's newest memos are scanned with LIKE instead, so search keeps answering, marked degraded.
 */
export async function keywordSearch(
  ctx: ApiDeps,
  uid: string,
  input: KeywordQuery,
  limit: number,
): Promise<KeywordLeg> {
  const { query, ...filters } = input;
  try {
    const hits = await ctx.vectors.memoTexts.search(uid, query, { limit });
    return { ids: hits.map((hit) => hit.id), degraded: false };
  } catch (error) {
    ctx.logger.warn({ err: error }, "keyword index failed; scanning recent memos instead");
    return { ids: await scanRecentMemos(ctx, uid, query, filters, limit), degraded: true };
  }
}

async function scanRecentMemos(
  ctx: ApiDeps,
  uid: string,
  query: string,
  filters: MemoFilters,
  limit: number,
): Promise<string[]> {
  const terms = memoTermsOf(query, { limit: FALLBACK_TERMS });
  if (terms.length === 0) return [];
  const recent = ctx.db
    .select({ id: memos.id, content: memos.content, createdAt: memos.createdAt })
    .from(memos)
    .where(memoFilterSql(uid, filters))
    .orderBy(desc(memos.createdAt))
    .limit(FALLBACK_SCAN_ROWS)
    .as("recent");
  const rows = await ctx.db
    .select({ id: recent.id })
    .from(recent)
    .where(or(...terms.map((term) => sql`${recent.content} LIKE ${`%${escapeLike(term)}%`}`)))
    .orderBy(desc(recent.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}
