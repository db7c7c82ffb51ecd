import type { Executor } from "@aimo/db";
import { memoRelations, memos } from "@aimo/db";
import type { SQL } from "drizzle-orm";
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";

import type { MemoDto, MemoTagDto } from "../dto/memo";
import { toMemoDto } from "../dto/memo";

const FIELD = "\u001f";
const RECORD = "\u001e";

/**
 * A memo's columns plus its tags, in order, as one string: pages of memos come back in a single query.
 * Tag names cannot hold control characters, so the separators are safe.
 */
export const memoWithTags = {
  ...getTableColumns(memos),
  // Written out, table-qualified: drizzle drops qualifiers in single-table selects, and SEPARATOR takes a literal.
  tagList: sql<string | null>`${sql.raw(
    `(SELECT GROUP_CONCAT(CONCAT(t.id, CHAR(31 USING utf8mb4), t.name) ORDER BY mt.position SEPARATOR '${RECORD}') ` +
      "FROM memo_tags mt INNER JOIN tags t ON t.id = mt.tag_id WHERE mt.memo_id = memos.id)",
  )}`.as("tag_list"),
};

export type MemoWithTagsRow = {
  [K in keyof typeof memoWithTags]: K extends "tagList"
    ? string | null
    : (typeof memos.$inferSelect)[K & keyof typeof memos.$inferSelect];
};

function parseTagList(list: string | null): MemoTagDto[] {
  if (!list) return [];
  return list.split(RECORD).map((entry) => {
    const [id, name] = entry.split(FIELD) as [string, string];
    return { id, name };
  });
}

export function rowToMemoDto(row: MemoWithTagsRow, extra?: Parameters<typeof toMemoDto>[2]): MemoDto {
  return toMemoDto(row, parseTagList(row.tagList), extra);
}

/**
 * The index hint for fetching memos by id: with `uid = ? AND id IN (…)` MySQL prefers the uid index and
 * walks all of the user's memos; by primary key it reads only the ones asked for (10 ms against 4 ms for
 * 80 of 10k).
 */
const BY_PRIMARY_KEY = { forceIndex: "PRIMARY" } as const;

/**
 * The user's memos among `ids` (and under `filters`, when given), with their tags, keyed by id: others'
 * and missing ids are simply absent.
 */
export async function ownedMemos(
  db: Executor,
  uid: string,
  ids: string[],
  filters?: SQL,
): Promise<Map<string, MemoWithTagsRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select(memoWithTags)
    .from(memos, BY_PRIMARY_KEY)
    .where(and(eq(memos.uid, uid), inArray(memos.id, [...new Set(ids)]), filters));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function outgoingLinkIds(db: Executor, memoId: string): Promise<string[]> {
  const rows = await db
    .select({ id: memoRelations.targetMemoId })
    .from(memoRelations)
    .where(eq(memoRelations.sourceMemoId, memoId))
    .orderBy(asc(memoRelations.createdAt), asc(memoRelations.id));
  return rows.map((r) => r.id);
}
