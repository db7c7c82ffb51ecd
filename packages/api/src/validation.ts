import { z } from "zod";

/** Shared input pieces, so every procedure has the same limits. */
export const idSchema = z.string().min(1).max(191);
export const idListSchema = z.array(idSchema).max(500);

/** MySQL TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC. */
export const epochMsSchema = z.number().int().min(1000).max(2_147_483_647_000);

/** Control characters are refused: they also separate tag lists read back from MySQL. */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}]*$/u, "no control characters");
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{3,8}$/, "a CSS hex colour like #ffaa00");

export const MAX_MEMO_BYTES = 1_048_576;
export const memoContentSchema = z
  .string()
  .max(MAX_MEMO_BYTES)
  .refine((text) => Buffer.byteLength(text, "utf8") <= MAX_MEMO_BYTES, "content is larger than 1 MB");

export const pageSizeSchema = z.number().int().min(1).max(100).default(20);

/** `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();
