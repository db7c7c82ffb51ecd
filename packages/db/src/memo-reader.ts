import type { SQL } from "drizzle-orm";
import { desc, eq, getTableColumns, sql } from "drizzle-orm";
import type { AnyMySqlColumn } from "drizzle-orm/mysql-core";

import type { Database } from "./client";
import { memos } from "./schema/memos";
import type { Memo } from "./types";

const FIELD = "\u001f";
const RECORD = "\u001e";

/**
 * A memo's columns plus its tags, in order, as one string: pages of memos come back in a single query.
 * Tag names cannot hold control characters, so the separators are safe.
 */
const memoWithTags = {
  ...getTableColumns(memos),
  // Written out, table-qualified: drizzle drops qualifiers in single-table selects, and SEPARATOR takes a literal.
  tagList: sql<string | null>`${sql.raw(
    `(SELECT GROUP_CONCAT(CONCAT(t.id, CHAR(31 USING utf8mb4), t.name) ORDER BY mt.position SEPARATOR '${RECORD}') ` +
      "FROM memo_tags mt INNER JOIN tags t ON t.id = mt.tag_id WHERE mt.memo_id = memos.id)",
  )}`.as("tag_list"),
};

/** A memo with its tags in reading order, encoded: read them with `memoTagsOf`. */
export type MemoWithTagsRow = Memo & { tagList: string | null };

/** The tags of a memo read by this reader, in order. */
export function memoTagsOf(row: MemoWithTagsRow): { id: string; name: string }[] {
  if (!row.tagList) return [];
  return row.tagList.split(RECORD).map((entry) => {
    const [id, name] = entry.split(FIELD) as [string, string];
    return { id, name };
  });
}

/** Each memo property's MySQL column name, from the table definition, computed once. */
const COLUMN = Object.fromEntries(
  Object.entries(getTableColumns(memos)).map(([key, column]) => [key, column.name]),
) as Record<keyof Memo, string>;

/** MySQL 8 and MariaDB's typed JSON columns arrive parsed; JSON as text arrives as a string. */
const jsonValue = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

/**
 * A row as mysql2 reads it (the pool reads TIMESTAMPs as UTC Dates) made into what drizzle would answer.
 * Written out, not looped over the columns: one literal keeps one object shape, where keyed stores cost
 * ~10x as much per page. The return type makes a new column a compile error here, and memo-reader.test.ts
 * checks every column against drizzle's own read.
 */
const fromDriver = (row: Record<string, unknown>): MemoWithTagsRow => ({
  id: row[COLUMN.id] as Memo["id"],
  uid: row[COLUMN.uid] as Memo["uid"],
  categoryId: row[COLUMN.categoryId] as Memo["categoryId"],
  content: row[COLUMN.content] as Memo["content"],
  type: row[COLUMN.type] as Memo["type"],
  source: row[COLUMN.source] as Memo["source"],
  attachmentIds: jsonValue(row[COLUMN.attachmentIds]) as Memo["attachmentIds"],
  isPublic: row[COLUMN.isPublic] === 1,
  createdAt: row[COLUMN.createdAt] as Memo["createdAt"],
  updatedAt: row[COLUMN.updatedAt] as Memo["updatedAt"],
  tagList: row.tag_list as string | null,
});

/**
 * The index hint for fetching memos by id: with `uid = ? AND id IN (…)` MySQL prefers the uid index and
 * walks all of the user's memos; by primary key it reads only the ones asked for (10 ms against 4 ms for
 * 80 of 10k).
 */
export const MEMOS_BY_PRIMARY_KEY = { forceIndex: "PRIMARY" } as const;

/** A read of memos with their tags: the conditions, order and limit of the SELECT. */
export interface MemoRowsQuery {
  where: SQL | undefined;
  orderBy?: (SQL | AnyMySqlColumn)[];
  limit?: number;
  /** See MEMOS_BY_PRIMARY_KEY. */
  byPrimaryKey?: boolean;
}

/**
 * Every read of memos with their tags: the SELECT is built with Drizzle, run on mysql2 and its rows mapped
 * here. On a page of memos, Drizzle's generic row mapping and its per-field type-cast hook cost more than
 * the rest of the request: with them memo.list served 69% of plain mysql2's requests in `pnpm bench`,
 * without them 85%.
 */
export async function selectMemoRows(db: Database, query: MemoRowsQuery): Promise<MemoWithTagsRow[]> {
  const select = db
    .select(memoWithTags)
    .from(memos, query.byPrimaryKey ? MEMOS_BY_PRIMARY_KEY : undefined)
    .where(query.where)
    .orderBy(...(query.orderBy ?? []))
    .$dynamic();
  return runMemoRows(db, (query.limit === undefined ? select : select.limit(query.limit)).toSQL());
}

async function runMemoRows(db: Database, query: { sql: string; params: unknown[] }) {
  const [rows] = await db.$client.query(query.sql, query.params);
  return (rows as Record<string, unknown>[]).map(fromDriver);
}

/** The SQL of a user's newest memos, the request every app opens with: built once, not per request. */
const newestSql = new WeakMap<Database, string>();

export function newestMemoRows(db: Database, uid: string, limit: number): Promise<MemoWithTagsRow[]> {
  let text = newestSql.get(db);
  if (!text) {
    text = db
      .select(memoWithTags)
      .from(memos)
      .where(eq(memos.uid, sql.placeholder("uid")))
      .orderBy(desc(memos.createdAt), desc(memos.id))
      .limit(sql.placeholder("limit"))
      .toSQL().sql;
    newestSql.set(db, text);
  }
  return runMemoRows(db, { sql: text, params: [uid, limit] });
}
