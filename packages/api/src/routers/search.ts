import type { TRPCRouterRecord } from "@trpc/server";

import { relatedInput, searchInput } from "../schemas/search";
import { searchService } from "../services/search/search";
import { protectedProcedure } from "../trpc";

export const searchRouter = {
  query: protectedProcedure
    .input(searchInput)
    .query(({ ctx, input }) => searchService.query(ctx, ctx.user.uid, input)),
  related: protectedProcedure
    .input(relatedInput)
    .query(({ ctx, input }) => searchService.related(ctx, ctx.user.uid, input)),
} satisfies TRPCRouterRecord;
