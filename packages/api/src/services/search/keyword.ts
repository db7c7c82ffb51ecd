import { memos, memoTerms, memoTermsOf } from "@aimo/db";
import { and, desc, eq, or, sql } from "drizzle-orm";

import type { Context } from "../../context";
import type { MemoFilters } from "../memo-queries";
import { memoFilterSql } from "../memo-queries";

/** A query's terms beyond this many add little and cost a range scan each. */
const MAX_QUERY_TERMS = 16;

/**
 * The keyword leg, on the `memo_terms` postings (the same terms as the memo index, see `memoTermsOf`):
 * memos holding any of the query's terms, words also as prefixes ("learn" finds "learning"), ranked by
 * how many postings match, then newest first. It reads only the caller's postings.
 */
export async function keywordSearch(
  ctx: Context,
  uid: string,
  query: string,
  filters: MemoFilters,
  limit: number,
) {
  const terms = memoTermsOf(query, MAX_QUERY_TERMS);
  if (terms.length === 0) return [];
  const hits = sql<number>`COUNT(*)`;
  const rows = await ctx.db
    .select({ id: memoTerms.memoId, hits })
    .from(memoTerms)
    .innerJoin(memos, eq(memos.id, memoTerms.memoId))
    .where(
      and(
        eq(memoTerms.uid, uid),
        // Terms hold only letters, digits and marks: nothing in them is a LIKE wildcard.
        or(...terms.map((term) => sql`${memoTerms.term} LIKE ${`${term}%`}`)),
        memoFilterSql(uid, filters),
      ),
    )
    .groupBy(memoTerms.memoId)
    .orderBy(desc(hits), desc(sql`MAX(${memos.createdAt})`))
    .limit(limit);
  return rows.map((r) => ({ id: r.id }));
}
