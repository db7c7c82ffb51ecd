import type { SQL } from "drizzle-orm";
import { inArray, sql } from "drizzle-orm";

import { memoTags } from "./schema/memo-tags";
import { tags } from "./schema/tags";

/** The rows linking a memo to its tags, in the order given (the API and the migrator write these). */
export const memoTagRows = (
  memoId: string,
  uid: string,
  tagIds: string[],
): (typeof memoTags.$inferInsert)[] => tagIds.map((tagId, position) => ({ memoId, tagId, uid, position }));

/**
 * Sets tags' usage counts to what their links say: of `tagIds`, or of every tag when none are given. Counts
 * are recomputed, never incremented, so they cannot drift.
 */
export function recountTagsSql(tagIds?: string[]): SQL {
  const recount = sql`UPDATE ${tags} SET ${tags.usageCount} = (SELECT COUNT(*) FROM ${memoTags} WHERE ${memoTags.tagId} = ${tags.id})`;
  return tagIds === undefined ? recount : sql`${recount} WHERE ${inArray(tags.id, [...new Set(tagIds)])}`;
}
