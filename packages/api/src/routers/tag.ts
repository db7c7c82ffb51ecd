import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { tagService } from "../services/tags";
import { protectedProcedure } from "../trpc";
import { colorSchema, idSchema, nameSchema } from "../validation";

export const tagRouter = {
  list: protectedProcedure.query(({ ctx }) => tagService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(z.strictObject({ name: nameSchema, color: colorSchema.optional() }))
    .mutation(({ ctx, input }) => tagService.create(ctx, ctx.user.uid, input)),
  update: protectedProcedure
    .input(
      z.strictObject({ id: idSchema, name: nameSchema.optional(), color: colorSchema.nullable().optional() }),
    )
    .mutation(({ ctx, input }) => tagService.update(ctx, ctx.user.uid, input)),
  delete: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => tagService.delete(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
