import type { Database, Executor, MemoWithTagsRow } from "@aimo/db";
import { memoRelations, memos, MEMOS_BY_PRIMARY_KEY, memoTagsOf, selectMemoRows } from "@aimo/db";
import type { SQL } from "drizzle-orm";
import { and, asc, eq, inArray } from "drizzle-orm";

import type { MemoDto } from "../dto/memo";
import { toMemoDto } from "../dto/memo";

export function rowToMemoDto(row: MemoWithTagsRow, extra?: Parameters<typeof toMemoDto>[2]): MemoDto {
  return toMemoDto(row, memoTagsOf(row), extra);
}

/**
 * The user's memos among `ids` (and under `filters`, when given), with their tags, keyed by id: others'
 * and missing ids are simply absent.
 */
export async function ownedMemos(
  db: Database,
  uid: string,
  ids: string[],
  filters?: SQL,
): Promise<Map<string, MemoWithTagsRow>> {
  if (ids.length === 0) return new Map();
  const rows = await selectMemoRows(db, {
    where: and(eq(memos.uid, uid), inArray(memos.id, [...new Set(ids)]), filters),
    byPrimaryKey: true,
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** The DTOs of the user's memos among `ids` (and under `filters`), keyed by id, as ownedMemos. */
export async function ownedMemoDtos(
  db: Database,
  uid: string,
  ids: string[],
  filters?: SQL,
): Promise<Map<string, MemoDto>> {
  const rows = await ownedMemos(db, uid, ids, filters);
  return new Map([...rows].map(([id, row]) => [id, rowToMemoDto(row)]));
}

/** The DTOs of the user's memos among `ids`, in the order of `ids`; others' and missing ones left out. */
export async function ownedMemoDtosInOrder(db: Database, uid: string, ids: string[]): Promise<MemoDto[]> {
  const owned = await ownedMemoDtos(db, uid, ids);
  return ids.flatMap((id) => owned.get(id) ?? []);
}

/** Which of `ids` are the user's memos: an ownership check reads ids only, never content. */
export async function ownedMemoIds(db: Executor, uid: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: memos.id })
    .from(memos, MEMOS_BY_PRIMARY_KEY)
    .where(and(eq(memos.uid, uid), inArray(memos.id, [...new Set(ids)])));
  return new Set(rows.map((r) => r.id));
}

export async function outgoingLinkIds(db: Executor, memoId: string): Promise<string[]> {
  const rows = await db
    .select({ id: memoRelations.targetMemoId })
    .from(memoRelations)
    .where(eq(memoRelations.sourceMemoId, memoId))
    .orderBy(asc(memoRelations.createdAt), asc(memoRelations.id));
  return rows.map((r) => r.id);
}
