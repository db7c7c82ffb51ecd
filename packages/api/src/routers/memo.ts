import { MEMO_TYPES, SOURCE_URL_MAX } from "@aimo/db";
import { z } from "zod";

import { badRequest } from "../errors";
import { memoQueryService, UNCATEGORIZED } from "../services/memo-queries";
import { memoService } from "../services/memos";
import { protectedProcedure, publicProcedure } from "../trpc";
import {
  dateSchema,
  epochMsSchema,
  idListSchema,
  idSchema,
  memoContentSchema,
  nameSchema,
  pageSizeSchema,
} from "../validation";

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

export const memoFiltersSchema = {
  /** A category id, or "uncategorized" for memos without one. */
  categoryId: z.union([z.literal(UNCATEGORIZED), idSchema]).optional(),
  tagId: idSchema.optional(),
  from: epochMsSchema.optional(),
  to: epochMsSchema.optional(),
  isPublic: z.boolean().optional(),
  keyword: z.string().trim().min(1).max(200).optional(),
};

const MAX_HEATMAP_DAYS = 400;

export const memoRouter = {
  create: protectedProcedure
    .input(z.strictObject({ content: memoContentSchema, ...memoFields }))
    .mutation(({ ctx, input }) => memoService.create(ctx, ctx.user.uid, input)),
  get: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => memoService.get(ctx, ctx.user.uid, input.id)),
  update: protectedProcedure
    .input(z.strictObject({ id: idSchema, content: memoContentSchema.optional(), ...memoFields }))
    .mutation(({ ctx, input: { id, ...patch } }) => memoService.update(ctx, ctx.user.uid, id, patch)),
  delete: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => memoService.delete(ctx, ctx.user.uid, input.id)),
  list: protectedProcedure
    .input(
      z
        .strictObject({
          ...memoFiltersSchema,
          limit: pageSizeSchema,
          cursor: z.string().max(512).optional(),
          order: z.enum(["newest", "oldest"]).default("newest"),
          sortBy: z.enum(["createdAt", "updatedAt"]).default("createdAt"),
        })
        .default({ limit: 20, order: "newest", sortBy: "createdAt" }),
    )
    .query(({ ctx, input }) => memoQueryService.list(ctx, ctx.user.uid, input)),
  onThisDay: protectedProcedure
    .input(z.strictObject({ date: dateSchema.optional(), limit: pageSizeSchema }).default({ limit: 20 }))
    .query(({ ctx, input }) => memoQueryService.onThisDay(ctx, ctx.user.uid, input)),
  activity: protectedProcedure
    .input(z.strictObject({ from: dateSchema, to: dateSchema }))
    .query(({ ctx, input }) => {
      const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
      if (days < 0 || days > MAX_HEATMAP_DAYS)
        throw badRequest(`from..to must span 0 to ${MAX_HEATMAP_DAYS} days`);
      return memoQueryService.activity(ctx, ctx.user.uid, input);
    }),
  /** Anyone may read a public memo, without a token. */
  getPublic: publicProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => memoQueryService.getPublic(ctx, input.id)),
};
