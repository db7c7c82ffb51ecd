import { z } from "zod";

import { idSchema, minSimilarityFields, withMinSimilarity } from "../validation";
import { memoFilters } from "./memo";

export const searchInput = z
  .strictObject({
    query: z.string().trim().min(1).max(1000),
    mode: z.enum(["semantic", "keyword", "hybrid"]).default("hybrid"),
    limit: z.number().int().min(1).max(50).default(20),
    ...minSimilarityFields,
    ...memoFilters.shape,
  })
  .transform(withMinSimilarity);
export type SearchInput = z.output<typeof searchInput>;

export const relatedInput = z
  .strictObject({
    memoId: idSchema,
    limit: z.number().int().min(1).max(50).default(10),
    ...minSimilarityFields,
  })
  .transform(withMinSimilarity);
export type RelatedInput = z.output<typeof relatedInput>;
