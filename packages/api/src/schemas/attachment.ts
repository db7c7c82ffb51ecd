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

/** Seconds of audio or video, or pixels of a video: what a client measures and the server cannot. */
const measureSchema = z.number().finite().min(0).max(1e9);

/**
 * The properties of an attachment one may edit: its file name, and the duration (audio and video) and size
 * (video) a client reads from the media. Image sizes are read from the bytes at upload and stay so. `null`
 * clears a measure.
 */
export const attachmentUpdateInput = z.strictObject({
  id: idSchema,
  filename: z.string().trim().min(1).max(255).optional(),
  duration: measureSchema.nullable().optional(),
  width: measureSchema.int().nullable().optional(),
  height: measureSchema.int().nullable().optional(),
});
/** An update without the attachment's id: only the fields given change. */
export type AttachmentPatch = Omit<z.output<typeof attachmentUpdateInput>, "id">;
