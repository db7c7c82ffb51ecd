import type { Executor } from "@aimo/db";
import { createId, recountTagsSql, tags } from "@aimo/db";
import { and, asc, desc, eq, inArray } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { LabelCreateInput, LabelUpdateInput } from "../schemas/label";
import { toTagDto } from "../dto/tag";
import { conflict, isDuplicateKey, notFound } from "../errors";
import { hasChanges } from "./changes";

const duplicateName = (name: string) => conflict(`A tag named "${name}" already exists`);

async function loadTag(ctx: ApiDeps, uid: string, id: string) {
  const [tag] = await ctx.db
    .select()
    .from(tags)
    .where(and(eq(tags.id, id), eq(tags.uid, uid)))
    .limit(1);
  if (!tag) throw notFound("Tag");
  return tag;
}

/** Usage counts are recomputed from the links inside the writing transaction, so they cannot drift. */
export async function recountTags(tx: Executor, tagIds: string[]): Promise<void> {
  if (tagIds.length) await tx.execute(recountTagsSql(tagIds));
}

/**
 * A memo's tags from ids (which must be the user's) and names (found case-insensitively, created when new),
 * in the order given, without duplicates.
 */
export async function resolveTagIds(
  tx: Executor,
  uid: string,
  ids: string[],
  names: string[],
): Promise<string[]> {
  const owned = ids.length
    ? await tx
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.uid, uid), inArray(tags.id, ids)))
    : [];
  if (owned.length !== new Set(ids).size) throw notFound("Tag");
  const firstSpelling = new Map<string, string>();
  for (const name of names)
    if (!firstSpelling.has(name.toLowerCase())) firstSpelling.set(name.toLowerCase(), name);
  const uniqueNames = [...firstSpelling.values()];
  if (uniqueNames.length > 0) {
    // Insert-if-absent: the unique (uid, name) index settles races between concurrent writers.
    await tx
      .insert(tags)
      .ignore()
      .values(uniqueNames.map((name) => ({ id: createId("tag"), uid, name })));
  }
  const named = uniqueNames.length
    ? await tx
        .select({ id: tags.id, name: tags.name })
        .from(tags)
        .where(and(eq(tags.uid, uid), inArray(tags.name, uniqueNames)))
    : [];
  const byName = new Map(named.map((t) => [t.name.toLowerCase(), t.id]));
  const ordered = [...ids, ...uniqueNames.map((n) => byName.get(n.toLowerCase())!)];
  return [...new Set(ordered)];
}

export const tagService = {
  async list(ctx: ApiDeps, uid: string) {
    const rows = await ctx.db
      .select()
      .from(tags)
      .where(eq(tags.uid, uid))
      .orderBy(desc(tags.usageCount), asc(tags.name));
    return rows.map(toTagDto);
  },

  async create(ctx: ApiDeps, uid: string, input: LabelCreateInput) {
    const id = createId("tag");
    try {
      await ctx.db.insert(tags).values({ id, uid, name: input.name, color: input.color ?? null });
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateName(input.name);
      throw error;
    }
    return toTagDto(await loadTag(ctx, uid, id));
  },

  async update(ctx: ApiDeps, uid: string, input: LabelUpdateInput) {
    await loadTag(ctx, uid, input.id);
    const changes = { name: input.name, color: input.color };
    try {
      if (hasChanges(changes))
        await ctx.db
          .update(tags)
          .set(changes)
          .where(and(eq(tags.id, input.id), eq(tags.uid, uid)));
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateName(input.name ?? "");
      throw error;
    }
    return toTagDto(await loadTag(ctx, uid, input.id));
  },

  /** The tag leaves every memo with it (memo_tags cascades). */
  async delete(ctx: ApiDeps, uid: string, id: string) {
    const [result] = await ctx.db.delete(tags).where(and(eq(tags.id, id), eq(tags.uid, uid)));
    if (result.affectedRows === 0) throw notFound("Tag");
    return { ok: true as const };
  },
};
