import { z } from "zod";

import { idSchema, minSimilarityFields, withMinSimilarity } from "../validation";

/** Images by what they show, from a text. */
export const imageSearchInput = z
  .strictObject({
    query: z.string().trim().min(1).max(500),
    limit: z.number().int().min(1).max(50).default(20),
    ...minSimilarityFields,
  })
  .transform(withMinSimilarity);
export type ImageSearchInput = z.output<typeof imageSearchInput>;

/** Memos holding this image or similar ones. */
export const similarMemosInput = z
  .strictObject({
    attachmentId: idSchema,
    limit: z.number().int().min(1).max(50).default(10),
    ...minSimilarityFields,
  })
  .transform(withMinSimilarity);
export type SimilarMemosInput = z.output<typeof similarMemosInput>;
