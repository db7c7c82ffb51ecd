/**
 * The API benchmark's corpus: users registered through the API, and their memos, tags, keyword terms and
 * vectors written behind it in multi-row INSERTs, then indexed. `seed.ts` runs it in a process of its own.
 */
import { createLocalEmbedder } from "@aimo/ai";
import { createId, memos, memoTags, tags } from "@aimo/db";
import pino from "pino";

import { startServer } from "../src/app";
import type { ServerEnv } from "../src/env";
import { openStores } from "../src/stores";

/**
 * Memo text drawn from a Zipf-distributed vocabulary (s = 1) of 5,000 words, as natural text is; the query's
 * words sit at ranks 100, 300 and 1,000: mid-frequency words, each in roughly 1-4% of the memos.
 */
export const QUERY = "coffee garden budget";
const syllables = "ka lo mi ne ru sa to vi we yo ba de fi gu ho".split(" ");
const vocabulary = Array.from({ length: 5000 }, (_, i) => {
  let word = "";
  for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
  return word;
});
QUERY.split(" ").forEach((word, i) => (vocabulary[[99, 299, 999][i]!] = word));
const cumulative: number[] = [];
vocabulary.reduce((sum, _, rank) => (cumulative[rank] = sum + 1 / (rank + 1)), 0);
let seed = 42;
/** mulberry32: the same corpus on every run. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function randomWord() {
  const target = random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return vocabulary[low]!;
}

export interface BenchAccount {
  uid: string;
  token: string;
}

/** Registers `userCount` users and gives each `perUser` memos (none, one or two of the user's 12 tags). */
export async function seedCorpus(
  env: ServerEnv,
  userCount: number,
  perUser: number,
): Promise<BenchAccount[]> {
  const logger = pino({ level: "silent" });
  const aimo = await startServer(env, logger);
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${aimo.url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: body }),
    });
    return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
  };
  const accounts: BenchAccount[] = [];
  for (let u = 0; u < userCount; u++) {
    const { user, token } = await call<{ user: { uid: string }; token: string }>("auth.register", {
      email: `bench${u}@example.test`,
      password: "bench password",
    });
    accounts.push({ uid: user.uid, token });
  }
  await aimo.stop();

  const stores = await openStores(env, logger);
  const { db } = stores.dbHandle;
  const embedder = createLocalEmbedder(env.EMBEDDING_DIMENSIONS);
  for (const { uid } of accounts) {
    const userTags = Array.from({ length: 12 }, (_, i) => ({
      id: createId("tag"),
      uid,
      name: `tag ${i}`,
      // Memo n has tags 0..(n % 3 - 1).
      usageCount: Array.from({ length: perUser }, (_, n) => n % 3).filter((count) => count > i).length,
    }));
    await db.insert(tags).values(userTags);
    for (let offset = 0; offset < perUser; offset += 2000) {
      const rows = Array.from({ length: Math.min(2000, perUser - offset) }, (_, i) => {
        const n = offset + i;
        const content = Array.from({ length: 12 + (n % 20) }, randomWord).join(" ");
        return {
          id: createId("memo"),
          uid,
          content,
          attachmentIds: [],
          createdAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000),
        };
      });
      await db.insert(memos).values(rows);
      const tagged = rows.flatMap((r, i) =>
        Array.from({ length: (offset + i) % 3 }, (_, position) => ({
          memoId: r.id,
          tagId: userTags[position]!.id,
          uid,
          position,
        })),
      );
      await db.insert(memoTags).values(tagged);
      await stores.vectors.memoTexts.addMissing(rows.map((r) => ({ id: r.id, uid, text: r.content })));
      const vectors = await embedder.embed(rows.map((r) => r.content));
      await stores.vectors.memos.upsert(rows.map((r, i) => ({ id: r.id, uid, vector: vectors[i]! })));
    }
  }
  await stores.vectors.maintain();
  await stores.close();
  return accounts;
}
