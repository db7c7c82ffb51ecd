import type { RouterOutputs } from "@aimo/api";
import { z } from "zod";

import type { ProcedurePath } from "./routes";

/**
 * The answers of the routed procedures, for the document. The procedures declare no output schemas (parsing
 * every answer would cost the hot reads what transformer.ts saves), so these describe them, and the check at the
 * bottom keeps each equal to its procedure's TypeScript answer as JSON carries it: a drift does not compile.
 */

const epochMs = z.number().int().describe("Epoch milliseconds.");
const ok = z.object({ ok: z.literal(true) });
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

const memoTag = z.object({ id: z.string(), name: z.string() });
const indexState = z.discriminatedUnion("status", [
  z.object({ status: z.literal("indexed") }),
  z.object({ status: z.literal("pending") }),
  z.object({ status: z.literal("failed"), reason: z.string() }),
]);
const memo = z.object({
  id: z.string(),
  content: z.string(),
  type: z.enum(["text", "audio", "video"]),
  source: z.string().optional(),
  categoryId: z.string().optional(),
  tags: z.array(memoTag),
  attachmentIds: z.array(z.string()),
  isPublic: z.boolean(),
  createdAt: epochMs,
  updatedAt: epochMs,
  linkedMemoIds: z.array(z.string()).optional().describe("On single-memo reads."),
  indexState: indexState.optional().describe("On single-memo reads: whether search finds it by meaning yet."),
});
const tag = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().optional(),
  usageCount: z.number().int(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
const category = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().optional(),
  memoCount: z.number().int().optional(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
const attachment = z.object({
  id: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  width: z.number().optional(),
  height: z.number().optional(),
  duration: z.number().optional().describe("Seconds of audio or video."),
  createdAt: epochMs,
});
const user = z.object({
  uid: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  nickname: z.string().optional(),
  avatarUrl: z.string().optional(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
const link = z.object({ id: z.string(), sourceMemoId: z.string(), targetMemoId: z.string() });

/** The schemas named in the document's components, which the answers refer to. */
export const namedSchemas: Record<string, z.ZodType> = {
  Memo: memo,
  IndexState: indexState,
  Tag: tag,
  Category: category,
  Attachment: attachment,
  User: user,
  Link: link,
  Done: ok,
};

/** Each routed procedure's answer. */
export const responseSchemas = {
  "auth.me": user,
  "memo.list": pageOf(memo),
  "memo.create": memo,
  "memo.onThisDay": z.array(memo),
  "memo.activity": z.array(z.object({ date: z.iso.date(), count: z.number().int() })),
  "memo.get": memo,
  "memo.update": memo,
  "memo.delete": ok,
  "memo.getPublic": memo,
  "memo.listPublic": pageOf(memo),
  "memo.randomPublic": memo,
  "search.related": z.object({
    hits: z.array(z.object({ memo, similarity: z.number() })),
    degraded: z.boolean().describe("The vector search failed or timed out; nothing was found by meaning."),
  }),
  "relation.outgoing": z.array(memo),
  "relation.backlinks": z.array(memo),
  "relation.link": link,
  "relation.unlink": ok,
  "relation.graph": z.object({
    nodes: z.array(z.object({ id: z.string(), excerpt: z.string(), createdAt: epochMs })),
    edges: z.array(z.object({ source: z.string(), target: z.string() })),
  }),
  "search.query": z.object({
    hits: z.array(
      z.object({
        memo,
        score: z.number().describe("The fused rank score the hits are ordered by."),
        similarity: z.number().optional().describe("Cosine similarity, for hits found by meaning."),
        matchedBy: z.array(z.enum(["keyword", "semantic"])),
      }),
    ),
    degraded: z.boolean().describe("The vector search failed or timed out: keyword hits only."),
  }),
  "recommendation.today": z.object({ date: z.iso.date(), memos: z.array(memo) }),
  "tag.list": z.array(tag),
  "tag.create": tag,
  "tag.update": tag,
  "tag.delete": ok,
  "category.list": z.array(category),
  "category.create": category,
  "category.update": category,
  "category.delete": ok,
  "attachment.list": pageOf(attachment),
  "attachment.searchByText": z.array(z.object({ attachment, score: z.number() })),
  "attachment.get": attachment,
  "attachment.getUrl": z.object({ url: z.string(), expiresAt: epochMs.optional() }),
  "attachment.similarMemos": z.array(z.object({ memo, attachmentId: z.string(), similarity: z.number() })),
  "attachment.update": attachment,
  "attachment.delete": ok,
  "transfer.exportLink": z.object({ url: z.string(), expiresAt: epochMs }),
} satisfies Partial<Record<ProcedurePath, z.ZodType>>;

/** A value's type as JSON carries it: a key that may hold undefined is a key that may be absent. */
type AsJson<T> = T extends readonly (infer Item)[]
  ? AsJson<Item>[]
  : T extends object
    ? { [K in keyof T as undefined extends T[K] ? never : K]: AsJson<T[K]> } & {
        [K in keyof T as undefined extends T[K] ? K : never]?: AsJson<Exclude<T[K], undefined>>;
      }
    : T;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type OutputOf<P> = P extends `${infer R extends keyof RouterOutputs}.${infer N}`
  ? N extends keyof RouterOutputs[R]
    ? RouterOutputs[R][N]
    : never
  : never;

type Drifted = {
  [P in keyof typeof responseSchemas]: Same<
    AsJson<z.output<(typeof responseSchemas)[P]>>,
    AsJson<OutputOf<P>>
  > extends true
    ? never
    : P;
}[keyof typeof responseSchemas];

// Does not compile while a schema above differs from what its procedure answers (Drifted holds their names).
true satisfies [Drifted] extends [never] ? true : Drifted;
