import { z } from "zod";

import { idSchema, similarityQuery, withMinSimilarity } from "../validation";

/** Images by what they show, from a text. */
export const imageSearchInput = similarityQuery({ query: z.string().trim().min(1).max(500) }, 20).transform(
  withMinSimilarity,
);
export type ImageSearchInput = z.output<typeof imageSearchInput>;

/** Memos holding this image or similar ones. */
export const similarMemosInput = similarityQuery({ attachmentId: idSchema }, 10).transform(withMinSimilarity);
export type SimilarMemosInput = z.output<typeof similarMemosInput>;
