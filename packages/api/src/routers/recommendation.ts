import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { DEFAULT_PICKS, recommendationService } from "../services/recommendations";
import { protectedProcedure } from "../trpc";

export const recommendationRouter = {
  /** Today's picks: the same all day, computed on the first call. */
  today: protectedProcedure
    .input(
      z
        .strictObject({ count: z.number().int().min(1).max(10).default(DEFAULT_PICKS) })
        .default({ count: DEFAULT_PICKS }),
    )
    .query(({ ctx, input }) => recommendationService.today(ctx, ctx.user.uid, input)),
} satisfies TRPCRouterRecord;
