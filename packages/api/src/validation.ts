import { MEMO_CONTENT_MAX_BYTES, NAME_MAX, TIMESTAMP_MS } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";

/** Shared input pieces, so every procedure has the same limits. */
export const idSchema = z.string().min(1).max(191);
export const idListSchema = z.array(idSchema).max(500);

/** The input of every procedure that takes only the id of what it acts on. */
export const idInput = z.strictObject({ id: idSchema });
export type IdInput = z.output<typeof idInput>;

/** A time as epoch ms, within what the TIMESTAMP(3) columns hold. */
export const epochMsSchema = z.number().int().min(TIMESTAMP_MS.min).max(TIMESTAMP_MS.max);

/** Control characters are refused: they also separate tag lists read back from MySQL. */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(NAME_MAX)
  .regex(/^[^\p{Cc}]*$/u, "no control characters");
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{3,8}$/, "a CSS hex colour like #ffaa00");

export const memoContentSchema = z
  .string()
  .max(MEMO_CONTENT_MAX_BYTES)
  .refine((text) => Buffer.byteLength(text, "utf8") <= MEMO_CONTENT_MAX_BYTES, "content is larger than 1 MB");

export const pageSizeSchema = z.number().int().min(1).max(100).default(20);

/**
 * One page of a keyset-paginated list: its size and the cursor the previous page answered. tRPC's infinite
 * queries (`infiniteQueryOptions` of @trpc/tanstack-react-query) also send `direction`; pages only go forward.
 */
export const pageInput = z.strictObject({
  limit: pageSizeSchema,
  cursor: z.string().max(512).optional(),
  direction: z.literal("forward").optional(),
});
export type PageInput = z.output<typeof pageInput>;

/** Cosine similarity, in [0, 1]. */
const similaritySchema = z.number().min(0).max(1);

/** The least similarity a vector hit needs; `minScore` is its old name, accepted for one more release. */
export const minSimilarityFields = {
  minSimilarity: similaritySchema.optional(),
  minScore: similaritySchema.optional().meta({ deprecated: true, description: "Use minSimilarity." }),
};

/** Folds the deprecated `minScore` into `minSimilarity` (which wins when both are given). */
export const withMinSimilarity = <T extends { minSimilarity?: number; minScore?: number }>({
  minScore,
  minSimilarity = minScore,
  ...input
}: T): Omit<T, "minScore" | "minSimilarity"> & { minSimilarity?: number } => ({ ...input, minSimilarity });

/** The input of a vector search: its own fields, a page of at most 50 hits and the least similarity. */
export const similarityQuery = <S extends z.ZodRawShape>(fields: S, defaultLimit: number) =>
  z.strictObject({
    ...fields,
    limit: z.number().int().min(1).max(50).default(defaultLimit),
    ...minSimilarityFields,
  });

/** `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();

/** With the u flag a surrogate matches only when unpaired. */
const LONE_SURROGATE = /\p{Cs}/u;
const ILL_FORMED = "Text must be valid Unicode (it holds a lone surrogate)";

/** A place in the input, linked to its parent so that deep nesting costs no copied paths. */
interface Place {
  value: unknown;
  key: PropertyKey | null;
  parent: Place | null;
}

function illFormed(place: Place): TRPCError {
  const path: PropertyKey[] = [];
  for (let p: Place | null = place; p?.key != null; p = p.parent) path.unshift(p.key);
  return new TRPCError({
    code: "BAD_REQUEST",
    message: ILL_FORMED,
    // ZodRealError is the Error subclass, which tRPC keeps as the cause (a plain ZodError it would wrap).
    cause: new z.ZodRealError([{ code: "custom", path, message: ILL_FORMED, input: undefined }]),
  });
}

/**
 * Refuses input holding a string (or key) with a lone surrogate, for every procedure at once: MySQL and UTF-8
 * would silently store it as U+FFFD, so `z\ud800` and `z\ud801` would become the same text. Iterative, so
 * deep nesting cannot overflow the stack; the error carries a zod issue like any other field error.
 */
export function assertWellFormedText(input: unknown): void {
  const pending: Place[] = [{ value: input, key: null, parent: null }];
  for (let place = pending.pop(); place; place = pending.pop()) {
    const { value } = place;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) throw illFormed(place);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) throw illFormed(place);
        pending.push({ value: child, key: Array.isArray(value) ? Number(key) : key, parent: place });
      }
    }
  }
}
