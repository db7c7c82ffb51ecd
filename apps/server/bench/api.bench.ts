/**
 * 10 users x 10,000 memos (100k): memo list (newest 20) and hybrid search over HTTP with 20 concurrent
 * clients (and search with one), next to the same list query (the same SQL) made with plain mysql2 behind
 * node:http in the same run.
 * BENCH_USERS (10), BENCH_MEMOS_PER_USER (10000), BENCH_DIMS (384), BENCH_SECONDS (10).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createLocalEmbedder } from "@aimo/ai";
import { createId, memos, memoTags, memoTerms, memoTermsOf, openScratchDatabase, tags } from "@aimo/db";
import autocannon from "autocannon";
import pino from "pino";

import { startServer } from "../src/app";
import { serverEnvSchema } from "../src/env";
import { openStores } from "../src/stores";

const userCount = Number(process.env.BENCH_USERS ?? 10);
const perUser = Number(process.env.BENCH_MEMOS_PER_USER ?? 10_000);
const dims = Number(process.env.BENCH_DIMS ?? 384);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

/**
 * Memo text drawn from a Zipf-distributed vocabulary (s = 1) of 5,000 words, as natural text is; the query's
 * words sit at ranks 100, 300 and 1,000: mid-frequency words, each in roughly 1-4% of the memos.
 */
const QUERY = "coffee garden budget";
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

const scratch = await openScratchDatabase("bench_api");
const lancedb = await mkdtemp(join(tmpdir(), "aimo-bench-api-"));
const env = serverEnvSchema.parse({
  MYSQL_HOST: scratch.config.host,
  MYSQL_PORT: String(scratch.config.port),
  MYSQL_USER: scratch.config.user,
  MYSQL_PASSWORD: scratch.config.password,
  MYSQL_DATABASE: scratch.config.database,
  MYSQL_CONNECTION_LIMIT: "20",
  PORT: "0",
  LANCEDB_URI: lancedb,
  EMBEDDING_DIMENSIONS: String(dims),
  JWT_SECRET: "bench-secret-bench-secret-bench-secret",
  LOG_LEVEL: "silent",
});
const logger = pino({ level: "silent" });

try {
  const aimo = await startServer(env, logger);
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${aimo.url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: body }),
    });
    return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
  };
  const accounts: { uid: string; token: string }[] = [];
  for (let u = 0; u < userCount; u++) {
    const { user, token } = await call<{ user: { uid: string }; token: string }>("auth.register", {
      email: `bench${u}@example.test`,
      password: "bench password",
    });
    accounts.push({ uid: user.uid, token });
  }

  // Seed behind the API: multi-row INSERTs of memos, their tags (none, one or two of a user's 12) and keyword
  // postings, local-embedder vectors, then maintenance builds the indexes.
  const seedStarted = performance.now();
  const stores = await openStores(env, logger);
  const embedder = createLocalEmbedder(dims);
  for (const { uid } of accounts) {
    const userTags = Array.from({ length: 12 }, (_, i) => ({
      id: createId("tag"),
      uid,
      name: `tag ${i}`,
      // Memo n has tags 0..(n % 3 - 1).
      usageCount: Array.from({ length: perUser }, (_, n) => n % 3).filter((count) => count > i).length,
    }));
    await scratch.db.insert(tags).values(userTags);
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
      await scratch.db.insert(memos).values(rows);
      const tagged = rows.flatMap((r, i) =>
        Array.from({ length: (offset + i) % 3 }, (_, position) => ({
          memoId: r.id,
          tagId: userTags[position]!.id,
          uid,
          position,
        })),
      );
      await scratch.db.insert(memoTags).values(tagged);
      await scratch.db
        .insert(memoTerms)
        .values(rows.flatMap((r) => memoTermsOf(r.content).map((term) => ({ uid, term, memoId: r.id }))));
      const vectors = await embedder.embed(rows.map((r) => r.content));
      await stores.vectors.memos.upsert(rows.map((r, i) => ({ id: r.id, uid, vector: vectors[i]! })));
    }
  }
  await stores.vectors.maintain();
  await stores.close();
  console.log(
    `seeded ${userCount * perUser} memos (${dims}-dim vectors) in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
  );
  const { uid: benchUid, token } = accounts[0]!;

  const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
  const headers = { authorization: `Bearer ${token}` };

  // Baselines: plain mysql2 behind node:http. The first sends the SQL that memo.list sends (its columns and
  // each memo's tags, see memoWithTags in packages/api); the second a narrower query without tags, for scale.
  const listSql =
    "select `id`, `uid`, `category_id`, `content`, `type`, `source`, `attachment_ids`, `is_public`, `created_at`, `updated_at`, " +
    "(SELECT GROUP_CONCAT(CONCAT(t.id, CHAR(31 USING utf8mb4), t.name) ORDER BY mt.position SEPARATOR '\u001e') " +
    "FROM memo_tags mt INNER JOIN tags t ON t.id = mt.tag_id WHERE mt.memo_id = memos.id) as `tag_list` " +
    "from `memos` where `memos`.`uid` = ? order by `memos`.`created_at` desc, `memos`.`id` desc limit ?";
  const narrowSql =
    "SELECT id, content, type, created_at, updated_at FROM memos WHERE uid = ? ORDER BY created_at DESC, id DESC LIMIT ?";
  const serve = (query: string) =>
    http.createServer((_req, res) => {
      scratch.pool
        .query(query, [benchUid, 21])
        .then(([rows]) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(rows));
        })
        .catch(() => res.writeHead(500).end());
    });
  const baselines = [serve(listSql), serve(narrowSql)];
  await Promise.all(
    baselines.map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
  );
  const [baselineUrl, narrowUrl] = baselines.map(
    (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/memos`,
  ) as [string, string];

  // The baseline must answer what memo.list answers: the same memos in the same order.
  const listed = await fetch(`${aimo.url}/trpc/memo.list?input=${input({ limit: 20 })}`, { headers });
  const listedIds = (
    (await listed.json()) as { result: { data: { json: { items: { id: string }[] } } } }
  ).result.data.json.items.map((m) => m.id);
  const plainIds = ((await (await fetch(baselineUrl)).json()) as { id: string }[])
    .slice(0, 20)
    .map((m) => m.id);
  if (JSON.stringify(listedIds) !== JSON.stringify(plainIds))
    throw new Error("the baseline and memo.list disagree");

  const run = (url: string, h: Record<string, string> = {}, connections = 20) =>
    autocannon({ url, connections, duration: seconds, headers: h });
  const summarise = (r: autocannon.Result) => ({
    "req/s": Math.round(r.requests.average),
    "p50 ms": r.latency.p50,
    "p97.5 ms": r.latency.p97_5,
    errors: r.errors + r.non2xx,
  });

  await run(baselineUrl); // warm-up
  const plain = await run(baselineUrl);
  const narrow = await run(narrowUrl);
  const list = await run(`${aimo.url}/trpc/memo.list?input=${input({ limit: 20 })}`, headers);
  const searchUrl = `${aimo.url}/trpc/search.query?input=${input({ query: QUERY })}`;
  const search = await run(searchUrl, headers);
  const searchAlone = await run(searchUrl, headers, 1);
  console.table({
    "plain mysql2 + node:http, memo.list's SQL (baseline)": summarise(plain),
    "plain mysql2 + node:http, 5 columns, no tags": summarise(narrow),
    "AIMO memo.list (newest 20)": summarise(list),
    "AIMO search.query (hybrid)": summarise(search),
    "AIMO search.query (hybrid), 1 client": summarise(searchAlone),
  });
  console.log(
    `memo.list / baseline: ${((list.requests.average / plain.requests.average) * 100).toFixed(0)}% (goal >= 70%); ` +
      `hybrid search median ${searchAlone.latency.p50} ms alone, ${search.latency.p50} ms under 20 clients (goal < 30 ms)`,
  );
  baselines.forEach((server) => server.close());
  await aimo.stop();
} finally {
  await scratch.drop();
  await rm(lancedb, { recursive: true, force: true });
}
