import { memos } from "@aimo/db";
import type { SQL } from "drizzle-orm";
import { and, desc, or, sql } from "drizzle-orm";

import type { Context } from "../../context";
import type { MemoFilters } from "../memo-queries";
import { likePattern, memoFilterSql } from "../memo-queries";

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const MAX_TERMS = 16;

/**
 * Terms of a query: its words, and for CJK runs (written without spaces) also their character bigrams, so
 * "机器学习的基础" finds a memo that says "学习机器学习".
 */
export function keywordTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const word of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    terms.add(word);
    const chars = [...word];
    if (chars.length > 2 && chars.some((c) => CJK.test(c))) {
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...terms].slice(0, MAX_TERMS);
}

/**
 * The keyword leg: the user's memos containing any term, ranked by how many terms they contain, then by
 * recency. LIKE works the same on MySQL 8 and MariaDB and for any script (no ngram parser needed).
 */
export async function keywordSearch(
  ctx: Context,
  uid: string,
  query: string,
  filters: MemoFilters,
  limit: number,
) {
  const terms = keywordTerms(query);
  if (terms.length === 0) return [];
  const matches: SQL[] = terms.map((term) => sql`${memos.content} LIKE ${likePattern(term)}`);
  const hits = sql<number>`(${sql.join(
    matches.map((m) => sql`(${m})`),
    sql` + `,
  )})`;
  const rows = await ctx.db
    .select({ id: memos.id, hits })
    .from(memos)
    .where(and(memoFilterSql(uid, filters), or(...matches)))
    .orderBy(desc(hits), desc(memos.createdAt))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, matchedTerms: Number(r.hits) }));
}
