import type { ChatModel } from "@aimo/ai";
import { memoTags, tags } from "@aimo/db";
import { and, desc, eq, inArray } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { SuggestTagsInput } from "../schemas/ai";
import { nameSchema } from "../validation";
import { DEFAULT_MIN_SIMILARITY } from "./search/search";

export interface TagSuggestion {
  name: string;
  /** The user's tag of this name; absent for a name only the model proposed (no tag is created for it). */
  tagId?: string;
  /** Summed similarity of the nearest memos that carry the tag, plus the model's vote (1 for its first pick). */
  score: number;
  from: ("similar" | "model")[];
}

/** Nearest memos that vote with their tags: enough to agree on a few tags, one LanceDB query. */
const NEIGHBOURS = 20;
/** The user's most used tags the model is shown, so it prefers names the user already has. */
const KNOWN_TAGS_IN_PROMPT = 200;
/** The memo text the model sees, clipped so the prompt fits any model's window. */
const PROMPT_TEXT_CHARS = 4000;

/** Tags of the user's memos closest in meaning to the text, each scored by the similarity of its memos. */
async function neighbourTags(ctx: ApiDeps, uid: string, content: string) {
  const signal = AbortSignal.timeout(ctx.config.vectorDeadlineMs);
  const [vector] = await ctx.embedder.embed([content], { signal });
  const hits = await ctx.vectors.memos.search(uid, vector!, {
    limit: NEIGHBOURS,
    minSimilarity: DEFAULT_MIN_SIMILARITY,
  });
  const similarity = new Map(hits.map((hit) => [hit.id, hit.similarity]));
  const rows = hits.length
    ? await ctx.db
        .select({ memoId: memoTags.memoId, id: tags.id, name: tags.name })
        .from(memoTags)
        .innerJoin(tags, eq(tags.id, memoTags.tagId))
        .where(
          and(eq(memoTags.uid, uid), eq(tags.uid, uid), inArray(memoTags.memoId, [...similarity.keys()])),
        )
    : [];
  const scored = new Map<string, { id: string; name: string; score: number }>();
  for (const row of rows) {
    const entry = scored.get(row.id) ?? { id: row.id, name: row.name, score: 0 };
    entry.score += similarity.get(row.memoId) ?? 0;
    scored.set(row.id, entry);
  }
  return [...scored.values()];
}

/** The first JSON array in a model's answer, or none. */
function jsonArrayIn(answer: string): unknown[] {
  const array = /\[[\s\S]*\]/.exec(answer)?.[0];
  if (!array) return [];
  try {
    const parsed: unknown = JSON.parse(array);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The names the model proposes, best first: a JSON array of strings, or failing that a list split on commas. */
function parseModelTags(answer: string): string[] {
  const listed = jsonArrayIn(answer);
  const names = listed.length ? listed : answer.split(/[,\n]/);
  return names.flatMap((name) => {
    if (typeof name !== "string") return [];
    const parsed = nameSchema.safeParse(name.replace(/^[\s"'#*-]+|[\s"'.]+$/g, ""));
    return parsed.success ? [parsed.data] : [];
  });
}

async function modelTags(
  ctx: ApiDeps,
  chat: ChatModel,
  uid: string,
  input: SuggestTagsInput,
  signal?: AbortSignal,
) {
  const known = await ctx.db
    .select({ name: tags.name })
    .from(tags)
    .where(eq(tags.uid, uid))
    .orderBy(desc(tags.usageCount))
    .limit(KNOWN_TAGS_IN_PROMPT);
  const system = [
    `Suggest at most ${input.limit} short tags for the user's memo.`,
    "Answer with a JSON array of strings and nothing else. Use the memo's language.",
    known.length
      ? `Prefer the user's existing tags when they fit: ${JSON.stringify(known.map((t) => t.name))}`
      : "",
  ].join("\n");
  let answer = "";
  const text = [...input.content].slice(0, PROMPT_TEXT_CHARS).join("");
  for await (const piece of chat.stream(
    [
      { role: "system", content: system },
      { role: "user", content: text },
    ],
    { signal },
  ))
    answer += piece;
  return parseModelTags(answer).slice(0, input.limit);
}

export const tagSuggestionService = {
  /**
   * Tags for a memo's text: those of the user's nearest memos by vector, ranked by their similarity, and the
   * chat model's picks when one is configured. Nothing is written: a suggested name that is no tag yet becomes
   * one only when the user saves a memo with it. A failing embedder or model leaves its part out (degraded).
   */
  async suggest(
    ctx: ApiDeps,
    uid: string,
    input: SuggestTagsInput,
    signal?: AbortSignal,
  ): Promise<{ tags: TagSuggestion[]; degraded: boolean }> {
    const chat = ctx.chat;
    const [similar, proposed] = await Promise.all([
      neighbourTags(ctx, uid, input.content).catch((error: unknown) => {
        ctx.logger.warn({ err: error }, "tag suggestions without neighbours: vector search failed");
        return null;
      }),
      chat
        ? modelTags(ctx, chat, uid, input, signal).catch((error: unknown) => {
            ctx.logger.warn({ err: error }, "tag suggestions without the model: it failed");
            return null;
          })
        : [],
    ]);
    const byName = new Map<string, TagSuggestion>();
    for (const tag of similar ?? [])
      byName.set(tag.name.toLowerCase(), {
        name: tag.name,
        tagId: tag.id,
        score: tag.score,
        from: ["similar"],
      });
    const unknown = (proposed ?? []).filter((name) => !byName.has(name.toLowerCase()));
    const existing = unknown.length
      ? await ctx.db
          .select({ id: tags.id, name: tags.name })
          .from(tags)
          .where(and(eq(tags.uid, uid), inArray(tags.name, unknown)))
      : [];
    const tagIdOf = new Map(existing.map((t) => [t.name.toLowerCase(), t]));
    (proposed ?? []).forEach((name, rank, all) => {
      const key = name.toLowerCase();
      const vote = (all.length - rank) / all.length;
      const entry = byName.get(key);
      if (entry) {
        if (entry.from.includes("model")) return;
        entry.score += vote;
        entry.from.push("model");
        return;
      }
      const tag = tagIdOf.get(key);
      byName.set(key, {
        name: tag?.name ?? name,
        ...(tag ? { tagId: tag.id } : {}),
        score: vote,
        from: ["model"],
      });
    });
    const ranked = [...byName.values()]
      .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
      .slice(0, input.limit);
    return { tags: ranked, degraded: similar === null || proposed === null };
  },
};
