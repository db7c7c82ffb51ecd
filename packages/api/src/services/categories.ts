import { categories, createId, memos } from "@aimo/db";
import { and, asc, count, eq } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { LabelCreateInput, LabelUpdateInput } from "../schemas/label";
import { toCategoryDto } from "../dto/category";
import { conflict, isDuplicateKey, notFound } from "../errors";
import { hasChanges } from "./changes";

const duplicateName = (name: string) => conflict(`A category named "${name}" already exists`);

async function loadCategory(ctx: ApiDeps, uid: string, id: string) {
  const [category] = await ctx.db
    .select()
    .from(categories)
    .where(and(eq(categories.id, id), eq(categories.uid, uid)))
    .limit(1);
  if (!category) throw notFound("Category");
  return category;
}

export const categoryService = {
  async list(ctx: ApiDeps, uid: string) {
    const rows = await ctx.db
      .select({ category: categories, memoCount: count(memos.id) })
      .from(categories)
      .leftJoin(memos, eq(memos.categoryId, categories.id))
      .where(eq(categories.uid, uid))
      .groupBy(categories.id)
      .orderBy(asc(categories.createdAt), asc(categories.id));
    return rows.map((row) => toCategoryDto(row.category, Number(row.memoCount)));
  },

  async create(ctx: ApiDeps, uid: string, input: LabelCreateInput) {
    const id = createId("category");
    try {
      await ctx.db.insert(categories).values({ id, uid, name: input.name, color: input.color ?? null });
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateName(input.name);
      throw error;
    }
    return toCategoryDto(await loadCategory(ctx, uid, id), 0);
  },

  async update(ctx: ApiDeps, uid: string, input: LabelUpdateInput) {
    await loadCategory(ctx, uid, input.id);
    const changes = { name: input.name, color: input.color };
    try {
      if (hasChanges(changes))
        await ctx.db
          .update(categories)
          .set(changes)
          .where(and(eq(categories.id, input.id), eq(categories.uid, uid)));
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateName(input.name ?? "");
      throw error;
    }
    return toCategoryDto(await loadCategory(ctx, uid, input.id));
  },

  /** Its memos become uncategorised (the foreign key sets them null). */
  async delete(ctx: ApiDeps, uid: string, id: string) {
    const [result] = await ctx.db
      .delete(categories)
      .where(and(eq(categories.id, id), eq(categories.uid, uid)));
    if (result.affectedRows === 0) throw notFound("Category");
    return { ok: true as const };
  },
};
