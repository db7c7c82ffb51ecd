import { createId, dailyRecommendations, memos } from "@aimo/db";
import { and, desc, eq, gte, lt, notInArray, sql } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { MemoDto } from "../dto/memo";
import type { TodayInput } from "../schemas/recommendation";
import { localDate, onThisDaySql } from "./memo-queries";
import { ownedMemoDtosInOrder, ownedMemos } from "./memo-reads";

const RECENT_DAYS = 7;
const NOT_PICKED_DAYS = 30;

/** A stable number from (uid, date), so "random" picks are the same all day. */
function seedOf(uid: string, date: string): number {
  let hash = 2166136261;
  for (const char of `${uid}:${date}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash >>> 0) % 1_000_000_007;
}

/** Memos from this month and day in earlier years. */
async function fromThisDay(ctx: ApiDeps, uid: string, date: string, limit: number) {
  const rows = await ctx.db
    .select({ id: memos.id })
    .from(memos)
    .where(onThisDaySql(uid, date, ctx.config.timezone))
    .orderBy(sql`RAND(${seedOf(uid, date)})`)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Older memos close in meaning to what the user wrote lately (skipped when vectors are not there yet). */
async function relatedToRecent(ctx: ApiDeps, uid: string, now: Date, limit: number) {
  const recentSince = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const recent = await ctx.db
    .select({ id: memos.id })
    .from(memos)
    .where(and(eq(memos.uid, uid), gte(memos.createdAt, recentSince)))
    .orderBy(desc(memos.createdAt))
    .limit(3);
  if (recent.length === 0) return [];
  try {
    const vectors = await ctx.vectors.memos.get(recent.map((r) => r.id));
    const recentIds = new Set(recent.map((r) => r.id));
    const found: string[] = [];
    for (const vector of vectors.filter((v) => v.uid === uid)) {
      const hits = await ctx.vectors.memos.search(uid, vector.vector, {
        limit: limit + 5,
        minSimilarity: 0.3,
      });
      found.push(...hits.map((h) => h.id).filter((id) => !recentIds.has(id)));
    }
    const old = await ownedMemos(ctx.db, uid, found);
    return [...new Set(found)].filter(
      (id) => (old.get(id)?.createdAt.getTime() ?? Infinity) < recentSince.getTime(),
    );
  } catch (error) {
    ctx.logger.warn({ err: error }, "related picks skipped");
    return [];
  }
}

/** Memos not picked in the last 30 days, in a per-day seeded random order. */
async function notPickedLately(ctx: ApiDeps, uid: string, date: string, limit: number) {
  const since = new Date(Date.parse(`${date}T00:00:00Z`) - NOT_PICKED_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const lately = await ctx.db
    .select({ memoIds: dailyRecommendations.memoIds })
    .from(dailyRecommendations)
    .where(
      and(
        eq(dailyRecommendations.uid, uid),
        gte(dailyRecommendations.date, since),
        lt(dailyRecommendations.date, date),
      ),
    );
  const picked = [...new Set(lately.flatMap((r) => r.memoIds))];
  const rows = await ctx.db
    .select({ id: memos.id })
    .from(memos)
    .where(and(eq(memos.uid, uid), picked.length ? notInArray(memos.id, picked) : undefined))
    .orderBy(sql`RAND(${seedOf(uid, date)})`)
    .limit(limit);
  return rows.map((r) => r.id);
}

export const recommendationService = {
  /**
   * Today's picks, computed once per user and day (in LOCALE_TIMEZONE) and stored: a mix of this day in earlier
   * years, older memos related to recent ones, and memos not picked lately. Works without any AI configured.
   */
  async today(
    ctx: ApiDeps,
    uid: string,
    input: TodayInput & { now?: Date },
  ): Promise<{ date: string; memos: MemoDto[] }> {
    const now = input.now ?? new Date();
    const date = localDate(ctx.config.timezone, now);
    const stored = async () =>
      (
        await ctx.db
          .select()
          .from(dailyRecommendations)
          .where(and(eq(dailyRecommendations.uid, uid), eq(dailyRecommendations.date, date)))
          .limit(1)
      )[0];
    let pick = await stored();
    if (!pick) {
      const sources = await Promise.all([
        fromThisDay(ctx, uid, date, input.count),
        relatedToRecent(ctx, uid, now, input.count),
        notPickedLately(ctx, uid, date, input.count * 3),
      ]);
      const chosen: string[] = [];
      for (let i = 0; chosen.length < input.count && sources.some((s) => i < s.length); i++) {
        for (const source of sources) {
          const id = source[i];
          if (id && !chosen.includes(id) && chosen.length < input.count) chosen.push(id);
        }
      }
      // Two first calls racing: the unique (uid, date) keeps one, and both answer with it.
      await ctx.db
        .insert(dailyRecommendations)
        .ignore()
        .values({ id: createId("recommendation"), uid, date, memoIds: chosen });
      pick = await stored();
    }
    // Memos deleted since the pick are left out.
    return { date, memos: await ownedMemoDtosInOrder(ctx.db, uid, pick!.memoIds) };
  },
};
