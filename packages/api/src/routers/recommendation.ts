import type { TRPCRouterRecord } from "@trpc/server";

import { todayInput } from "../schemas/recommendation";
import { recommendationService } from "../services/recommendations";
import { protectedProcedure } from "../trpc";

export const recommendationRouter = {
  /** Today's picks: the same all day, computed on the first call. */
  today: protectedProcedure
    .input(todayInput)
    .query(({ ctx, input }) => recommendationService.today(ctx, ctx.user.uid, input)),
} satisfies TRPCRouterRecord;
