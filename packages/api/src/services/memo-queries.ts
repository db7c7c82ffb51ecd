import type { SQL } from "drizzle-orm";
import { and, asc, desc, eq, gte, isNull, lt, lte, sql } from "drizzle-orm";
import { memos, memoTags, newestMemoRows, selectMemoRows } from "@aimo/db";

import type { ApiDeps } from "../context";
import type { MemoDto } from "../dto/memo";
import { notFound } from "../errors";
import type {
  MemoActivityInput,
  MemoFilters,
  MemoListInput,
  MemoListPublicInput,
  MemoOnThisDayInput,
  MemoRandomPublicInput,
} from "../schemas/memo";
import { memoFilters, UNCATEGORIZED } from "../schemas/memo";
import { rowToMemoDto } from "./memo-reads";
import { afterCursor, keysetPage } from "./pagination";

/** `%`, `_` and backslashes in user text are literal characters in a LIKE pattern. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

type TimeColumn = typeof memos.createdAt | typeof memos.updatedAt;

const FILTER_KEYS = Object.keys(memoFilters.shape) as (keyof MemoFilters)[];

/** Whether any memo filter is given: unfiltered lists and searches take shortcuts. */
export const hasMemoFilters = (input: MemoFilters): boolean =>
  FILTER_KEYS.some((key) => input[key] !== undefined);

/** The WHERE of a user's memos under the list filters; also used by search. */
export function memoFilterSql(
  uid: string,
  filters: MemoFilters,
  sortColumn: TimeColumn = memos.createdAt,
): SQL {
  const conditions: (SQL | undefined)[] = [eq(memos.uid, uid)];
  if (filters.categoryId === UNCATEGORIZED) conditions.push(isNull(memos.categoryId));
  else if (filters.categoryId) conditions.push(eq(memos.categoryId, filters.categoryId));
  if (filters.tagId) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${memoTags} WHERE ${memoTags.memoId} = ${memos.id} AND ${memoTags.tagId} = ${filters.tagId})`,
    );
  }
  if (filters.from !== undefined) conditions.push(gte(sortColumn, new Date(filters.from)));
  if (filters.to !== undefined) conditions.push(lte(sortColumn, new Date(filters.to)));
  if (filters.isPublic !== undefined) conditions.push(eq(memos.isPublic, filters.isPublic));
  if (filters.keyword) conditions.push(sql`${memos.content} LIKE ${`%${escapeLike(filters.keyword)}%`}`);
  return and(...conditions)!;
}

/** The offset of a time zone at an instant, as `+08:00`, for MySQL's CONVERT_TZ without zone tables. */
export function zoneOffset(timezone: string, at = new Date()): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name ?? "");
  return match ? `${match[1]}:${match[2] ?? "00"}` : "+00:00";
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** A user's memos written on the month and day of `date` (YYYY-MM-DD) in earlier years, in a time zone. */
export function onThisDaySql(uid: string, date: string, timezone: string): SQL {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const local = sql`CONVERT_TZ(${memos.createdAt}, '+00:00', ${zoneOffset(timezone)})`;
  return and(
    eq(memos.uid, uid),
    sql`MONTH(${local}) = ${month}`,
    sql`DAY(${local}) = ${day}`,
    sql`YEAR(${local}) < ${year}`,
  )!;
}

export const memoQueryService = {
  /** Keyset pagination over (sort time, id): stable under inserts, no OFFSET scans. */
  async list(
    ctx: ApiDeps,
    uid: string,
    input: MemoListInput,
  ): Promise<{ items: MemoDto[]; nextCursor?: string }> {
    const column: TimeColumn = input.sortBy === "updatedAt" ? memos.updatedAt : memos.createdAt;
    const newest = input.order === "newest";
    const direction = newest ? desc : asc;
    const unfilteredFirstPage =
      newest && input.sortBy === "createdAt" && !input.cursor && !hasMemoFilters(input);
    const rows = unfilteredFirstPage
      ? await newestMemoRows(ctx.db, uid, input.limit + 1)
      : await selectMemoRows(ctx.db, {
          where: and(
            memoFilterSql(uid, input, column),
            input.cursor ? afterCursor(column, memos.id, input.cursor, newest ? "desc" : "asc") : undefined,
          ),
          orderBy: [direction(column), direction(memos.id)],
          limit: input.limit + 1,
        });
    const { page, nextCursor } = keysetPage(rows, input.limit, (row) => row[input.sortBy]);
    const items = page.map((row) => rowToMemoDto(row));
    return nextCursor ? { items, nextCursor } : { items };
  },

  /** Memos written on today's month and day in earlier years, in the configured time zone. */
  async onThisDay(ctx: ApiDeps, uid: string, input: MemoOnThisDayInput) {
    const date = input.date ?? localDate(ctx.config.timezone);
    const rows = await selectMemoRows(ctx.db, {
      where: onThisDaySql(uid, date, ctx.config.timezone),
      orderBy: [desc(memos.createdAt)],
      limit: input.limit,
    });
    return rows.map((row) => rowToMemoDto(row));
  },

  /** Memos per local day between two dates, for a calendar heatmap. */
  async activity(ctx: ApiDeps, uid: string, input: MemoActivityInput) {
    const offset = zoneOffset(ctx.config.timezone);
    const day = sql<string>`DATE_FORMAT(CONVERT_TZ(${memos.createdAt}, '+00:00', ${offset}), '%Y-%m-%d')`;
    // Widen by a day on each side in UTC, then keep the local days asked for.
    const start = new Date(Date.parse(`${input.from}T00:00:00Z`) - 86_400_000);
    const end = new Date(Date.parse(`${input.to}T00:00:00Z`) + 2 * 86_400_000);
    const rows = await ctx.db
      .select({ day, count: sql<number>`COUNT(*)` })
      .from(memos)
      .where(and(eq(memos.uid, uid), gte(memos.createdAt, start), lt(memos.createdAt, end)))
      .groupBy(day)
      .orderBy(day);
    return rows
      .map((r) => ({ date: String(r.day), count: Number(r.count) }))
      .filter((r) => r.date >= input.from && r.date <= input.to);
  },

  /** One user's public memos, newest first, for anyone; an unknown user has none. */
  async listPublic(
    ctx: ApiDeps,
    input: MemoListPublicInput,
  ): Promise<{ items: MemoDto[]; nextCursor?: string }> {
    const rows = await selectMemoRows(ctx.db, {
      where: and(
        eq(memos.uid, input.uid),
        eq(memos.isPublic, true),
        input.cursor ? afterCursor(memos.createdAt, memos.id, input.cursor, "desc") : undefined,
      ),
      orderBy: [desc(memos.createdAt), desc(memos.id)],
      limit: input.limit + 1,
    });
    const { page, nextCursor } = keysetPage(rows, input.limit, (row) => row.createdAt);
    const items = page.map((row) => rowToMemoDto(row));
    return nextCursor ? { items, nextCursor } : { items };
  },

  /**
   * A public memo picked uniformly at random (one user's, or anyone's). RAND() reads every public memo's id
   * once, as a count and an offset would; the memo itself is then read by its primary key.
   */
  async randomPublic(ctx: ApiDeps, input: MemoRandomPublicInput): Promise<MemoDto> {
    const [picked] = await ctx.db
      .select({ id: memos.id })
      .from(memos)
      .where(and(eq(memos.isPublic, true), input.uid === undefined ? undefined : eq(memos.uid, input.uid)))
      .orderBy(sql`RAND()`)
      .limit(1);
    // A memo made private between the two reads is not shown: the second read checks again.
    const [row] = picked
      ? await selectMemoRows(ctx.db, {
          where: and(eq(memos.id, picked.id), eq(memos.isPublic, true)),
          byPrimaryKey: true,
        })
      : [];
    if (!row) throw notFound("Public memo");
    return rowToMemoDto(row);
  },

  /** A public memo, readable by anyone; private and missing memos are the same NOT_FOUND. */
  async getPublic(ctx: ApiDeps, id: string): Promise<MemoDto> {
    const [row] = await selectMemoRows(ctx.db, {
      where: and(eq(memos.id, id), eq(memos.isPublic, true)),
      limit: 1,
    });
    if (!row) throw notFound("Memo");
    return rowToMemoDto(row);
  },
};
