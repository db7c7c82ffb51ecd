import { createHmac } from "node:crypto";
import { tmpdir } from "node:os";

import { byteSize } from "@aimo/env";
import type { ObjectStorage } from "@aimo/storage";
import { z } from "zod";

/** Attachment storage, limits and download links; part of the context. */
export interface AttachmentSettings {
  storage: ObjectStorage;
  /** Bytes. */
  maxFileSize: number;
  /** Exact MIME types or whole families such as `image/*`. */
  allowedMimeTypes: string[];
  /** HMAC key of the server's own download links (local storage). */
  urlSecret: Uint8Array;
  urlTtlSeconds: number;
  /** Origin the server's download links start with (`https://aimo.example.com`); relative links when unset. */
  publicBaseUrl?: string;
  /** Where uploads are spooled while they arrive. */
  tmpDir: string;
}

/** Images, audio, video and everyday documents; never HTML or SVG, which a browser would run as a page. */
export const DEFAULT_ALLOWED_MIME_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "image/heic",
  "image/heif",
  "audio/*",
  "video/*",
  "application/pdf",
  "text/plain",
  "text/markdown",
  "text/csv",
  "application/json",
  "application/zip",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

const mimeTypeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][\w.+-]*\/(\*|[a-z0-9][\w.+-]*)$/, "a MIME type such as image/png or image/*");

export const attachmentEnvSchema = z.object({
  /** Largest upload: bytes, or a number with KB, MB or GB. */
  ATTACHMENT_MAX_FILE_SIZE: byteSize("50MB"),
  /** Comma-separated MIME types; `type/*` allows a family. */
  ATTACHMENT_ALLOWED_MIME_TYPES: z
    .string()
    .transform((text) => text.split(",").filter((part) => part.trim() !== ""))
    .pipe(z.array(mimeTypeSchema).min(1))
    .optional(),
  /** Lifetime of download links in seconds. */
  ATTACHMENT_URL_TTL: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  /** HMAC key of download links; derived from JWT_SECRET when unset. */
  ATTACHMENT_URL_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ATTACHMENT_PUBLIC_BASE_URL: z.url().optional(),
  ATTACHMENT_TMP_DIR: z.string().min(1).optional(),
});

export type AttachmentEnv = z.infer<typeof attachmentEnvSchema>;

export function attachmentSettingsFromEnv(
  env: AttachmentEnv,
  storage: ObjectStorage,
  jwtSecret: Uint8Array,
): AttachmentSettings {
  return {
    storage,
    maxFileSize: env.ATTACHMENT_MAX_FILE_SIZE,
    allowedMimeTypes: env.ATTACHMENT_ALLOWED_MIME_TYPES ?? DEFAULT_ALLOWED_MIME_TYPES,
    // A key of its own, so a download link can never double as anything signed with the JWT key.
    urlSecret: env.ATTACHMENT_URL_SECRET
      ? new TextEncoder().encode(env.ATTACHMENT_URL_SECRET)
      : createHmac("sha256", jwtSecret).update("aimo attachment download links").digest(),
    urlTtlSeconds: env.ATTACHMENT_URL_TTL,
    publicBaseUrl: env.ATTACHMENT_PUBLIC_BASE_URL?.replace(/\/+$/, ""),
    tmpDir: env.ATTACHMENT_TMP_DIR ?? tmpdir(),
  };
}

/** `image/png; charset=x` -> `image/png`. */
export const normalizeMimeType = (mimeType: string) => mimeType.split(";")[0]!.trim().toLowerCase();

export function isMimeTypeAllowed(
  settings: Pick<AttachmentSettings, "allowedMimeTypes">,
  mimeType: string,
): boolean {
  const type = normalizeMimeType(mimeType);
  const family = `${type.split("/")[0]}/*`;
  return settings.allowedMimeTypes.some((allowed) => allowed === type || allowed === family);
}
