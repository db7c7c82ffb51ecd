import { z } from "zod";

import { idSchema, similarityQuery, withMinSimilarity } from "../validation";
import { memoFilters } from "./memo";

export const searchInput = similarityQuery(
  {
    query: z.string().trim().min(1).max(1000),
    mode: z.enum(["semantic", "keyword", "hybrid"]).default("hybrid"),
    ...memoFilters.shape,
  },
  20,
).transform(withMinSimilarity);
export type SearchInput = z.output<typeof searchInput>;

export const relatedInput = similarityQuery({ memoId: idSchema }, 10).transform(withMinSimilarity);
export type RelatedInput = z.output<typeof relatedInput>;
