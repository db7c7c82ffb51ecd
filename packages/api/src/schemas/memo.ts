import { MEMO_TYPES, SOURCE_URL_MAX } from "@aimo/db";
import { z } from "zod";

import {
  dateSchema,
  epochMsSchema,
  idListSchema,
  idSchema,
  memoContentSchema,
  nameSchema,
  pageInput,
  pageSizeSchema,
} from "../validation";

/** The category filter's value for memos without a category. */
export const UNCATEGORIZED = "uncategorized";

const memoFields = {
  type: z.enum(MEMO_TYPES).optional(),
  source: z.url().max(SOURCE_URL_MAX).nullable().optional(),
  categoryId: idSchema.nullable().optional(),
  tagIds: idListSchema.max(50).optional(),
  tagNames: z.array(nameSchema).max(50).optional(),
  attachmentIds: idListSchema.max(100).optional(),
  isPublic: z.boolean().optional(),
  linkedMemoIds: idListSchema.max(200).optional(),
  createdAt: epochMsSchema.optional(),
  updatedAt: epochMsSchema.optional(),
};

export const memoCreateInput = z.strictObject({ content: memoContentSchema, ...memoFields });
export type MemoCreateInput = z.output<typeof memoCreateInput>;

export const memoUpdateInput = z.strictObject({
  id: idSchema,
  content: memoContentSchema.optional(),
  ...memoFields,
});
/** An update without the memo's id: only the fields given change. */
export type MemoPatch = Omit<z.output<typeof memoUpdateInput>, "id">;

/** The filters memo lists and search share. */
export const memoFilters = z.strictObject({
  /** A category id, or "uncategorized" for memos without one. */
  categoryId: z.union([z.literal(UNCATEGORIZED), idSchema]).optional(),
  tagId: idSchema.optional(),
  from: epochMsSchema.optional(),
  to: epochMsSchema.optional(),
  isPublic: z.boolean().optional(),
  keyword: z.string().trim().min(1).max(200).optional(),
});
export type MemoFilters = z.output<typeof memoFilters>;

export const memoListInput = z
  .strictObject({
    ...memoFilters.shape,
    ...pageInput.shape,
    order: z.enum(["newest", "oldest"]).default("newest"),
    sortBy: z.enum(["createdAt", "updatedAt"]).default("createdAt"),
  })
  .default({ limit: 20, order: "newest", sortBy: "createdAt" });
export type MemoListInput = z.output<typeof memoListInput>;

export const memoOnThisDayInput = z
  .strictObject({ date: dateSchema.optional(), limit: pageSizeSchema })
  .default({ limit: 20 });
export type MemoOnThisDayInput = z.output<typeof memoOnThisDayInput>;

export const memoActivityInput = z.strictObject({ from: dateSchema, to: dateSchema });
export type MemoActivityInput = z.output<typeof memoActivityInput>;

/** One user's public memos, newest first; no token needed. */
export const memoListPublicInput = z.strictObject({ uid: idSchema, ...pageInput.shape });
export type MemoListPublicInput = z.output<typeof memoListPublicInput>;

/** A random public memo: one user's when `uid` is given, anyone's otherwise. */
export const memoRandomPublicInput = z.strictObject({ uid: idSchema.optional() }).default({});
export type MemoRandomPublicInput = z.output<typeof memoRandomPublicInput>;
