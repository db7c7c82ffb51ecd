import { buffer } from "node:stream/consumers";

import type { ObjectStorage } from "@aimo/storage";

/** Larger images are left unembedded: providers refuse them and a data URI of them is too heavy to send. */
export const MAX_EMBEDDED_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image gets a vector when a provider can read it: a known image type with readable dimensions. */
export const isEmbeddableImage = (row: {
  mimeType: string;
  size: number;
  properties: Record<string, unknown>;
}) =>
  row.mimeType.startsWith("image/") &&
  typeof row.properties.width === "number" &&
  row.size <= MAX_EMBEDDED_IMAGE_BYTES;

/** The image as a base64 data URI, the form multimodal providers accept without a public URL. */
export async function imageDataUri(
  storage: ObjectStorage,
  row: { path: string; mimeType: string },
): Promise<string> {
  const bytes = await buffer(await storage.read(row.path));
  return `data:${row.mimeType};base64,${bytes.toString("base64")}`;
}
