/**
 * Writes that stay cheap (issue 13), over HTTP against one server with its scheduler (maintenance) and vector
 * worker running, memos from the realistic bench corpus (@aimo/bench-corpus):
 * 1. Sustained writes: BENCH_WRITES (20,000) sequential memo.create, with BENCH_SEARCHES (200) hybrid searches
 *    after the first 1,000 and after the last; the last 1,000 creates and the searches after them against the
 *    first 1,000's median (goal within 1.3x), each set beside its semantic recall@10 (mean over the query set,
 *    against an exact scan of the user's memos), and the process's RSS after 1,000 and after all (goal within
 *    150 MB).
 * 2. Mixed load: 20 clients for BENCH_MIXED_SECONDS (300): 30% list, 20% get, 20% search, 15% create,
 *    15% update; errors (goal 0), throughput of the last minute against the first (goal >= 0.9x), and every
 *    acknowledged create and update then present in MySQL and in LanceDB (keyword terms and vector).
 * The server runs in this process (RSS is the server's plus a light client), with the allocator setting `pnpm start`
 * and the image run it with (MALLOC_ARENA_MAX=2, set by `pnpm bench`). BENCH_DIMS (384, the local embedder).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createCorpus, KEYWORD_QUERIES } from "@aimo/bench-corpus";
import { openScratchDatabase } from "@aimo/db/testing";
import pino from "pino";

import { startServer } from "../src/app";
import { serverEnvSchema } from "../src/env";
import { openStores } from "../src/stores";
import { benchServerEnv, runBenchScript } from "./corpus";

const writeCount = Number(process.env.BENCH_WRITES ?? 20_000);
const searchCount = Number(process.env.BENCH_SEARCHES ?? 200);
const mixedSeconds = Number(process.env.BENCH_MIXED_SECONDS ?? 300);
const dims = Number(process.env.BENCH_DIMS ?? 384);
const CLIENTS = 20;
const WINDOW = 1000;

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const quantile = (times: number[], q: number) =>
  [...times].sort((a, b) => a - b)[Math.floor(times.length * q)] ?? NaN;
const median = (times: number[]) => quantile(times, 0.5);
/** The searches' slowest tenth and first ten show what the median leaves out: those before a maintenance. */
const spread = (times: number[]) =>
  `p90 ${quantile(times, 0.9).toFixed(1)}, first 10 median ${median(times.slice(0, 10)).toFixed(1)}`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

const scratch = await openScratchDatabase("bench_writes");
const lancedb = await mkdtemp(join(tmpdir(), "aimo-bench-writes-"));
const rawEnv = { ...benchServerEnv(scratch, lancedb, dims), PORT: "0", LOG_LEVEL: "silent" };
const env = serverEnvSchema.parse(rawEnv);

/** Memo texts of the realistic corpus, in a loop: unique by a serial number appended to each. */
const texts = [...createCorpus({ memos: 5000, dims: 4 }).memos()].map((m) => m.content.slice(0, 8000));
let serial = 0;
const nextText = () => `${texts[serial % texts.length]!} #${serial++}`;
const queries = KEYWORD_QUERIES.map((q) => q.text);

try {
  const aimo = await startServer(env, pino({ level: "silent" }));
  const call = async <T>(path: string, body: unknown, token?: string, get = false): Promise<T> => {
    const payload = JSON.stringify({ json: body });
    const response = await fetch(
      `${aimo.url}/trpc/${path}${get ? `?input=${encodeURIComponent(payload)}` : ""}`,
      {
        method: get ? "GET" : "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(get ? {} : { body: payload }),
      },
    );
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
  };
  const { token, user } = await call<{ token: string; user: { uid: string } }>("auth.register", {
    email: "writer@bench.test",
    password: "bench password",
  });
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const create = (content: string) => call<{ id: string }>("memo.create", { content }, token);
  const search = (query: string) => call("search.query", { query, mode: "hybrid" }, token, true);
  const searches = async () => {
    const times: number[] = [];
    for (let i = 0; i < searchCount; i++) times.push(await timed(() => search(queries[i % queries.length]!)));
    return times;
  };

  // The semantic leg is approximate (IVF_FLAT from 5,000 vectors): its recall beside each set of searches.
  const semanticRecall = async () =>
    Number(
      await runBenchScript("./recall.ts", rawEnv, {
        BENCH_URL: aimo.url,
        BENCH_TOKEN: token,
        BENCH_UID: user.uid,
      }),
    ).toFixed(3);

  // 1. Sustained sequential writes.
  const createTimes: number[] = [];
  let searchesEarly: number[] = [];
  let recallEarly = "";
  let rssEarly = 0;
  const started = performance.now();
  for (let i = 0; i < writeCount; i++) {
    createTimes.push(await timed(() => create(nextText())));
    if (i + 1 === Math.min(WINDOW, writeCount)) {
      searchesEarly = await searches();
      rssEarly = process.memoryUsage().rss;
      recallEarly = await semanticRecall();
    }
    if ((i + 1) % 2000 === 0)
      console.log(
        `${i + 1} creates in ${((performance.now() - started) / 1000).toFixed(0)} s, RSS ${mib(process.memoryUsage().rss)} MiB`,
      );
  }
  const searchesLate = await searches();
  const rssLate = process.memoryUsage().rss;
  const recallLate = await semanticRecall();
  const firstCreates = median(createTimes.slice(0, WINDOW));
  const lastCreates = median(createTimes.slice(-WINDOW));

  // 2. Mixed load on the same server, now holding the sustained run's memos.
  const acknowledged = new Map<string, string>();
  const ids = [
    ...(await call<{ items: { id: string }[] }>("memo.list", { limit: 100 }, token, true)).items,
  ].map((m) => m.id);
  const updating = new Set<string>();
  const perSecond = new Map<number, number>();
  const errors: string[] = [];
  const mixedStarted = performance.now();
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
  const operation = async () => {
    const roll = Math.random();
    if (roll < 0.3) return call("memo.list", { limit: 20 }, token, true);
    if (roll < 0.5) return call("memo.get", { id: pick(ids) }, token, true);
    if (roll < 0.7) return search(pick(queries));
    const content = nextText();
    if (roll < 0.85) {
      const { id } = await create(content);
      ids.push(id);
      acknowledged.set(id, content);
      return;
    }
    // One update of a memo at a time: of two overlapping updates, the one acknowledged last need not be the one
    // committed last, and the check below compares MySQL with the last acknowledged.
    const id = pick(ids.filter((candidate) => !updating.has(candidate)));
    updating.add(id);
    try {
      await call("memo.update", { id, content }, token);
      acknowledged.set(id, content);
    } finally {
      updating.delete(id);
    }
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() - mixedStarted < mixedSeconds * 1000) {
        try {
          await operation();
          const second = Math.floor((performance.now() - mixedStarted) / 1000);
          perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
        } catch (error) {
          errors.push((error as Error).message.slice(0, 200));
        }
      }
    }),
  );
  const minute = Math.min(60, Math.floor(mixedSeconds / 3));
  const during = (from: number, to: number) =>
    [...perSecond].filter(([s]) => s >= from && s < to).reduce((n, [, c]) => n + c, 0) / (to - from);
  const firstMinute = during(0, minute);
  const lastMinute = during(mixedSeconds - minute, mixedSeconds);
  const rssMixed = process.memoryUsage().rss;

  // Every acknowledged write, once the outbox is drained, in MySQL and in both LanceDB tables.
  const sql = async <T>(query: string, params: unknown[] = []) =>
    (await scratch.pool.query(query, params))[0] as unknown as T[];
  const drained = performance.now();
  while ((await sql<{ n: number }>("SELECT COUNT(*) AS n FROM vector_jobs"))[0]!.n > 0) {
    if (performance.now() - drained > 120_000) throw new Error("the vector outbox did not drain in 120 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await aimo.stop();
  const stored = new Map(
    (
      await sql<{ id: string; content: string }>("SELECT id, content FROM memos WHERE uid = ?", [user.uid])
    ).map((m) => [m.id, m.content]),
  );
  const missingInMysql = [...acknowledged].filter(([id, content]) => stored.get(id) !== content).length;
  const stores = await openStores(env, pino({ level: "silent" }));
  const { vectors } = stores;
  const idsIn = async (table: typeof vectors.memos | typeof vectors.memoTexts) => {
    const found = new Set<string>();
    for await (const batch of table.scanIds()) for (const { id } of batch) found.add(id);
    return found;
  };
  const [inVectors, inTexts] = [await idsIn(vectors.memos), await idsIn(vectors.memoTexts)];
  const missingInLance = [...acknowledged.keys()].filter(
    (id) => !inVectors.has(id) || !inTexts.has(id),
  ).length;
  // An update's new terms are searchable: the serial number each text ends with is a term of its own.
  const updatedFound = await (async () => {
    const sample = [...acknowledged].slice(-20);
    let found = 0;
    for (const [id, content] of sample) {
      const term = content.slice(content.lastIndexOf("#") + 1);
      if ((await vectors.memoTexts.search(user.uid, term, { limit: 5 })).some((h) => h.id === id)) found++;
    }
    return `${found}/${sample.length}`;
  })();
  await stores.close();

  console.table({
    [`creates 1-${WINDOW}, median ms`]: { value: firstCreates.toFixed(1) },
    [`creates ${writeCount - WINDOW + 1}-${writeCount}, median ms`]: {
      value: `${lastCreates.toFixed(1)} (${ratio(lastCreates, firstCreates)}x, goal <= 1.3x)`,
    },
    [`hybrid search after ${WINDOW} creates, median ms`]: {
      value: `${median(searchesEarly).toFixed(1)} (${spread(searchesEarly)}; semantic recall@10 ${recallEarly})`,
    },
    [`hybrid search after ${writeCount} creates, median ms`]: {
      value: `${median(searchesLate).toFixed(1)} (${ratio(median(searchesLate), median(searchesEarly))}x, goal <= 1.3x; ${spread(searchesLate)}; semantic recall@10 ${recallLate})`,
    },
    [`RSS after ${WINDOW} creates, MiB`]: { value: mib(rssEarly) },
    [`RSS after ${writeCount} creates, MiB`]: {
      value: `${mib(rssLate)} (+${mib(rssLate - rssEarly)}, goal <= +143 MiB = 150 MB)`,
    },
    [`mixed load ${CLIENTS} clients ${mixedSeconds} s: requests/s, first ${minute} s`]: {
      value: firstMinute.toFixed(1),
    },
    [`mixed load: requests/s, last ${minute} s`]: {
      value: `${lastMinute.toFixed(1)} (${ratio(lastMinute, firstMinute)}x, goal >= 0.9x)`,
    },
    "mixed load: errors": { value: `${errors.length}${errors[0] ? ` (first: ${errors[0]})` : ""}` },
    "mixed load: acknowledged writes (creates and updates)": { value: acknowledged.size },
    "... not in MySQL as acknowledged": { value: missingInMysql },
    "... without keyword terms or vector in LanceDB": { value: missingInLance },
    "... of the last 20, found by their new terms": { value: updatedFound },
    "RSS after the mixed load, MiB": { value: mib(rssMixed) },
  });
} finally {
  await scratch.drop();
  await rm(lancedb, { recursive: true, force: true });
}
