import { memos } from "@aimo/db";
import { and, eq } from "drizzle-orm";

import type { ApiDeps } from "../../context";
import type { MemoDto } from "../../dto/memo";
import { notFound } from "../../errors";
import type { RelatedInput, SearchInput } from "../../schemas/search";
import { hasMemoFilters, memoFilterSql } from "../memo-queries";
import { ownedMemoDtos } from "../memo-reads";
import { keywordSearch } from "./keyword";

export interface SearchHit {
  memo: MemoDto;
  /** Reciprocal-rank fusion of the legs, scaled so a memo ranked first by every leg scores 1. */
  score: number;
  /** Cosine similarity of the semantic leg, when it found the memo. */
  similarity?: number;
  matchedBy: ("semantic" | "keyword")[];
}

/** Reciprocal rank fusion constant; 60 is the usual choice and makes fusion insensitive to score scales. */
const RRF_K = 60;
/** Without a caller's minimum, semantic hits below this cosine similarity are noise rather than meaning. */
export const DEFAULT_MIN_SIMILARITY = 0.25;

/**
 * How many candidates each leg brings: twice the page, so fusion fills it; four times when filters, applied
 * when the hits are read from MySQL, may drop some. The semantic leg's cost grows with it.
 */
const legDepth = (input: SearchInput) => input.limit * (hasMemoFilters(input) ? 4 : 2);

/** The semantic leg, within the request's vector deadline: a slow embedding API degrades search, never stalls it. */
async function semanticLeg(ctx: ApiDeps, uid: string, input: SearchInput, depth: number) {
  const signal = AbortSignal.timeout(ctx.config.vectorDeadlineMs);
  const [vector] = await ctx.embedder.embed([input.query], { signal });
  return ctx.vectors.memos.search(uid, vector!, {
    limit: depth,
    minSimilarity: input.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
  });
}

export const searchService = {
  async query(
    ctx: ApiDeps,
    uid: string,
    input: SearchInput,
  ): Promise<{ hits: SearchHit[]; degraded: boolean }> {
    const depth = legDepth(input);
    // The legs are independent: both run at once, and the slower one sets the latency.
    const [semantic, keywordHits] = await Promise.all([
      input.mode === "keyword"
        ? []
        : semanticLeg(ctx, uid, input, depth).catch((error: unknown) => {
            // Embedding or LanceDB trouble must not take search down: answer with the keyword leg.
            ctx.logger.warn({ err: error }, "semantic search failed; keyword results only");
            return null;
          }),
      input.mode === "semantic" ? null : keywordSearch(ctx, uid, input, depth),
    ]);
    const keywordLeg =
      keywordHits ?? (semantic === null ? await keywordSearch(ctx, uid, input, depth) : null);
    const degraded = semantic === null || keywordLeg?.degraded === true;
    const keyword = keywordLeg?.ids ?? [];

    const fused = new Map<
      string,
      { score: number; similarity?: number; matchedBy: SearchHit["matchedBy"] }
    >();
    semantic?.forEach((hit, rank) => {
      fused.set(hit.id, {
        score: 1 / (RRF_K + rank + 1),
        similarity: hit.similarity,
        matchedBy: ["semantic"],
      });
    });
    keyword.forEach((id, rank) => {
      const entry = fused.get(id) ?? { score: 0, matchedBy: [] };
      entry.score += 1 / (RRF_K + rank + 1);
      entry.matchedBy.push("keyword");
      fused.set(id, entry);
    });
    if (fused.size === 0) return { hits: [], degraded };

    // One batched query enriches every candidate and applies the filters to the semantic leg too.
    const dtos = await ownedMemoDtos(ctx.db, uid, [...fused.keys()], memoFilterSql(uid, input));
    const legs = input.mode === "hybrid" && semantic !== null ? 2 : 1;
    const best = legs / (RRF_K + 1);
    const hits = [...fused.entries()]
      .filter(([id]) => dtos.has(id))
      .map(([id, f]) => ({
        memo: dtos.get(id)!,
        score: f.score / best,
        ...(f.similarity !== undefined ? { similarity: f.similarity } : {}),
        matchedBy: f.matchedBy,
      }))
      .sort((a, b) => b.score - a.score || b.memo.createdAt - a.memo.createdAt)
      .slice(0, input.limit);
    return { hits, degraded };
  },

  /**
   * Memos close in meaning to a memo of the user's (by its stored vector, or its text while that is pending).
   * Like `query`, LanceDB or embedding trouble answers no hits marked degraded rather than an error.
   */
  async related(
    ctx: ApiDeps,
    uid: string,
    input: RelatedInput,
  ): Promise<{ hits: { memo: MemoDto; similarity: number }[]; degraded: boolean }> {
    const [memo] = await ctx.db
      .select()
      .from(memos)
      .where(and(eq(memos.id, input.memoId), eq(memos.uid, uid)));
    if (!memo) throw notFound("Memo");
    let hits;
    try {
      const [stored] = await ctx.vectors.memos.get([memo.id]);
      const signal = AbortSignal.timeout(ctx.config.vectorDeadlineMs);
      const vector =
        stored?.uid === uid ? stored.vector : (await ctx.embedder.embed([memo.content], { signal }))[0]!;
      hits = (
        await ctx.vectors.memos.search(uid, vector, {
          limit: input.limit + 1,
          minSimilarity: input.minSimilarity,
        })
      ).filter((h) => h.id !== memo.id);
    } catch (error) {
      ctx.logger.warn({ err: error }, "related search failed; answering no hits");
      return { hits: [], degraded: true };
    }
    const dtos = await ownedMemoDtos(
      ctx.db,
      uid,
      hits.map((h) => h.id),
    );
    return {
      hits: hits
        .filter((h) => dtos.has(h.id))
        .slice(0, input.limit)
        .map((h) => ({ memo: dtos.get(h.id)!, similarity: h.similarity })),
      degraded: false,
    };
  },
};
