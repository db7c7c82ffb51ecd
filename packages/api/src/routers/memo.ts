import type { TRPCRouterRecord } from "@trpc/server";

import { badRequest } from "../errors";
import {
  memoActivityInput,
  memoCreateInput,
  memoListInput,
  memoListPublicInput,
  memoOnThisDayInput,
  memoRandomPublicInput,
  memoUpdateInput,
} from "../schemas/memo";
import { memoQueryService } from "../services/memo-queries";
import { memoService } from "../services/memos";
import { protectedProcedure, publicProcedure } from "../trpc";
import { idInput } from "../validation";

const MAX_HEATMAP_DAYS = 400;

export const memoRouter = {
  create: protectedProcedure
    .input(memoCreateInput)
    .mutation(({ ctx, input }) => memoService.create(ctx, ctx.user.uid, input)),
  get: protectedProcedure
    .input(idInput)
    .query(({ ctx, input }) => memoService.get(ctx, ctx.user.uid, input.id)),
  update: protectedProcedure
    .input(memoUpdateInput)
    .mutation(({ ctx, input: { id, ...patch } }) => memoService.update(ctx, ctx.user.uid, id, patch)),
  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => memoService.delete(ctx, ctx.user.uid, input.id)),
  list: protectedProcedure
    .input(memoListInput)
    .query(({ ctx, input }) => memoQueryService.list(ctx, ctx.user.uid, input)),
  onThisDay: protectedProcedure
    .input(memoOnThisDayInput)
    .query(({ ctx, input }) => memoQueryService.onThisDay(ctx, ctx.user.uid, input)),
  activity: protectedProcedure.input(memoActivityInput).query(({ ctx, input }) => {
    const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
    if (days < 0 || days > MAX_HEATMAP_DAYS)
      throw badRequest(`from..to must span 0 to ${MAX_HEATMAP_DAYS} days`);
    return memoQueryService.activity(ctx, ctx.user.uid, input);
  }),
  /** Anyone may read a public memo, without a token. */
  getPublic: publicProcedure
    .input(idInput)
    .query(({ ctx, input }) => memoQueryService.getPublic(ctx, input.id)),
  /** A user's public memos, newest first, without a token. */
  listPublic: publicProcedure
    .input(memoListPublicInput)
    .query(({ ctx, input }) => memoQueryService.listPublic(ctx, input)),
  /** A random public memo, one user's or anyone's, without a token. */
  randomPublic: publicProcedure
    .input(memoRandomPublicInput)
    .query(({ ctx, input }) => memoQueryService.randomPublic(ctx, input)),
} satisfies TRPCRouterRecord;
