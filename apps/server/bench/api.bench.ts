/**
 * The bench corpus (@aimo/bench-corpus: 20,000 memos of 10 Zipf-skewed users, the heaviest holding 4,493),
 * seeded by a separate process, measured over HTTP for its heaviest user: memo list (newest 20) with 20
 * concurrent clients, alternating round after round with plain mysql2 sending the same SQL behind node:http;
 * hybrid search with 20 clients, alternating with the raw search baseline (raw-search.ts); and, with one client,
 * every keyword, semantic and hybrid query of the corpus's query set next to the raw baseline's.
 * BENCH_MEMOS (20000; 100000 gives a user of 22,465), BENCH_USERS (10), BENCH_DIMS (384), BENCH_SECONDS (10 per
 * run), BENCH_ROUNDS (3), BENCH_REPEAT (10 single-client requests per query and mode).
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { DEFAULT_MIN_SIMILARITY } from "@aimo/api";
import { createCorpus, describeCorpus, KEYWORD_QUERIES } from "@aimo/bench-corpus";
import { openScratchDatabase } from "@aimo/db/testing";
import autocannon from "autocannon";
import pino from "pino";

import { startServer } from "../src/app";
import { serverEnvSchema } from "../src/env";
import { benchServerEnv, seedInChildProcess } from "./corpus";
import { startRawSearch } from "./raw-search";

const memoCount = Number(process.env.BENCH_MEMOS ?? 20_000);
const userCount = Number(process.env.BENCH_USERS ?? 10);
const dims = Number(process.env.BENCH_DIMS ?? 384);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const repeat = Number(process.env.BENCH_REPEAT ?? 10);
/** The query of the concurrent search runs: a mid-frequency Chinese word. */
const QUERY = KEYWORD_QUERIES.find((q) => q.frequency === "mid" && q.language === "zh")!.text;

const scratch = await openScratchDatabase("bench_api");
const lancedb = await mkdtemp(join(tmpdir(), "aimo-bench-api-"));
const rawEnv = { ...benchServerEnv(scratch, lancedb, dims), PORT: "0", LOG_LEVEL: "silent" };
const env = serverEnvSchema.parse(rawEnv);
const logger = pino({ level: "silent" });

try {
  const seedStarted = performance.now();
  const accounts = await seedInChildProcess(rawEnv, memoCount, userCount);
  console.log(describeCorpus(createCorpus({ memos: memoCount, users: userCount })));
  console.log(
    `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s (${dims}-dim vectors of the server's embedder)`,
  );
  const aimo = await startServer(env, logger);
  const {
    uid: benchUid,
    token,
    memoCount: benchMemos,
  } = [...accounts].sort((a, b) => b.memoCount - a.memoCount)[0]!;

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
  // Completed requests over the run's measured length: autocannon's per-second average counts its ticks,
  // which stretch when the process is saturated, and then disagrees with its own total.
  const rate = (r: autocannon.Result) => r.requests.total / r.duration;
  const summarise = (r: autocannon.Result) => ({
    "req/s": Math.round(rate(r)),
    "p50 ms": r.latency.p50,
    "p97.5 ms": r.latency.p97_5,
    errors: r.errors + r.non2xx,
  });

  // The list and its baseline alternate, round after round: this machine's speed drifts within minutes, and
  // the ratio is taken over rounds run side by side.
  const listUrl = `${aimo.url}/trpc/memo.list?input=${input({ limit: 20 })}`;
  await run(baselineUrl); // warm-up
  await run(listUrl, headers);
  const rounds: { plain: autocannon.Result; list: autocannon.Result }[] = [];
  for (let round = 0; round < roundCount; round++) {
    rounds.push({ plain: await run(baselineUrl), list: await run(listUrl, headers) });
  }
  const narrow = await run(narrowUrl);

  // Search: AIMO and the raw baseline for the same user, alternating round after round under 20 clients.
  const raw = await startRawSearch(scratch.pool, benchUid, dims);
  const searchUrl = (query: string, mode: string, minSimilarity?: number) =>
    `${aimo.url}/trpc/search.query?input=${input({ query, mode, minSimilarity })}`;
  const rawUrl = (query: string, mode: string, floor?: number) =>
    `${raw.url}?q=${encodeURIComponent(query)}&mode=${mode}${floor === undefined ? "" : `&floor=${floor}`}`;
  const searchRounds: { raw: autocannon.Result; aimo: autocannon.Result }[] = [];
  for (let round = 0; round < roundCount; round++) {
    searchRounds.push({
      raw: await run(rawUrl(QUERY, "hybrid")),
      aimo: await run(searchUrl(QUERY, "hybrid"), headers),
    });
  }
  // One client, every query of the corpus's set in each mode, AIMO and the baseline alternating request by request.
  const timeOne = async (url: string, h: Record<string, string> = {}) => {
    const started = performance.now();
    const response = await fetch(url, { headers: h });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return performance.now() - started;
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  let degradedAnswers = 0;
  const topIds = async (url: string, h: Record<string, string> = {}) => {
    const body = (await (await fetch(url, { headers: h })).json()) as
      | { result: { data: { json: { hits: { memo: { id: string } }[]; degraded: boolean } } } }
      | { id: string }[];
    if (!Array.isArray(body) && body.result.data.json.degraded) degradedAnswers++;
    const ids = Array.isArray(body)
      ? body.map((hit) => hit.id)
      : body.result.data.json.hits.map((hit) => hit.memo.id);
    return ids.slice(0, 10);
  };
  // Recall against the exact answer to the same question: at the default settings, the exact top 10 above the
  // default similarity floor; with the floor at 0, the index's approximation alone.
  const semanticRecall = async (query: string, floor: number) => {
    const exact = await topIds(rawUrl(query, "semantic", floor));
    const found = new Set(await topIds(searchUrl(query, "semantic", floor), headers));
    return exact.length ? exact.filter((id) => found.has(id)).length / exact.length : 1;
  };
  const recalls: number[] = [];
  const unfloored: number[] = [];
  const byQuery: Record<string, Record<string, string>> = {};
  for (const q of KEYWORD_QUERIES) {
    const row: Record<string, string> = {};
    for (const mode of ["keyword", "semantic", "hybrid"]) {
      const aimoTimes: number[] = [];
      const rawTimes: number[] = [];
      await timeOne(searchUrl(q.text, mode), headers);
      await timeOne(rawUrl(q.text, mode));
      for (let i = 0; i < repeat; i++) {
        aimoTimes.push(await timeOne(searchUrl(q.text, mode), headers));
        rawTimes.push(await timeOne(rawUrl(q.text, mode)));
      }
      row[`AIMO ${mode} ms`] = median(aimoTimes).toFixed(1);
      row[`raw ${mode} ms`] = median(rawTimes).toFixed(1);
    }
    // The semantic leg is approximate (IVF_FLAT): its top 10 against the baseline's exact scan.
    const recall = await semanticRecall(q.text, DEFAULT_MIN_SIMILARITY);
    const recallUnfloored = await semanticRecall(q.text, 0);
    recalls.push(recall);
    unfloored.push(recallUnfloored);
    row["semantic recall@10"] = recall.toFixed(2);
    row["recall@10, floor 0"] = recallUnfloored.toFixed(2);
    byQuery[`${q.frequency}, ${q.language}: ${q.text}`] = row;
  }
  raw.close();

  console.table({
    ...Object.fromEntries(
      rounds.flatMap(({ plain, list }, round) => [
        [`round ${round + 1}: plain mysql2 + node:http, memo.list's SQL (baseline)`, summarise(plain)],
        [`round ${round + 1}: AIMO memo.list (newest 20)`, summarise(list)],
      ]),
    ),
    "plain mysql2 + node:http, 5 columns, no tags": summarise(narrow),
    ...Object.fromEntries(
      searchRounds.flatMap((r, round) => [
        [`round ${round + 1}: raw search baseline (hybrid, "${QUERY}")`, summarise(r.raw)],
        [`round ${round + 1}: AIMO search.query (hybrid, "${QUERY}")`, summarise(r.aimo)],
      ]),
    ),
  });
  console.log(
    `single client, user with ${benchMemos} memos, median of ${repeat} requests per query and mode:`,
  );
  console.table(byQuery);
  const overRounds = <R>(runs: R[], pick: (r: R) => autocannon.Result) =>
    runs.reduce((sum, r) => sum + pick(r).requests.total, 0) /
    runs.reduce((sum, r) => sum + pick(r).duration, 0);
  const percent = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  console.log(
    `memo.list / baseline over ${roundCount} rounds: ${percent(
      overRounds(rounds, (r) => r.list),
      overRounds(rounds, (r) => r.plain),
    )} (goal >= 85%); ` +
      `hybrid search / raw baseline under 20 clients: ${percent(
        overRounds(searchRounds, (r) => r.aimo),
        overRounds(searchRounds, (r) => r.raw),
      )} ` +
      `(${overRounds(searchRounds, (r) => r.aimo).toFixed(1)} vs ${overRounds(searchRounds, (r) => r.raw).toFixed(1)} req/s); ` +
      `semantic recall@10 against the exact scan, mean over the query set: ${mean(recalls).toFixed(2)} ` +
      `(similarity floor ${DEFAULT_MIN_SIMILARITY}, the default; ${mean(unfloored).toFixed(2)} with the floor at 0; ` +
      `${degradedAnswers} of ${recalls.length * 2} answers degraded)`,
  );
  baselines.forEach((server) => server.close());
  await aimo.stop();
} finally {
  await scratch.drop();
  await rm(lancedb, { recursive: true, force: true });
}
