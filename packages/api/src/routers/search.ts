import { z } from "zod";

import { searchService } from "../services/search/search";
import { protectedProcedure } from "../trpc";
import { idSchema, minSimilarityFields, withMinSimilarity } from "../validation";
import { memoFiltersSchema } from "./memo";

export const searchRouter = {
  query: protectedProcedure
    .input(
      z
        .strictObject({
          query: z.string().trim().min(1).max(1000),
          mode: z.enum(["semantic", "keyword", "hybrid"]).default("hybrid"),
          limit: z.number().int().min(1).max(50).default(20),
          ...minSimilarityFields,
          ...memoFiltersSchema,
        })
        .transform(withMinSimilarity),
    )
    .query(({ ctx, input }) => searchService.query(ctx, ctx.user.uid, input)),
  related: protectedProcedure
    .input(
      z
        .strictObject({
          memoId: idSchema,
          limit: z.number().int().min(1).max(50).default(10),
          ...minSimilarityFields,
        })
        .transform(withMinSimilarity),
    )
    .query(({ ctx, input }) => searchService.related(ctx, ctx.user.uid, input)),
};
