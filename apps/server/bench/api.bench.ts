/**
 * 10 users x 10,000 memos (100k): memo list (newest 20) and hybrid search over HTTP with 20 concurrent
 * clients (and search with one), next to the same list query (the same SQL) made with plain mysql2 behind
 * node:http in the same run.
 * BENCH_USERS (10), BENCH_MEMOS_PER_USER (10000), BENCH_DIMS (384), BENCH_SECONDS (10 per run), BENCH_ROUNDS (3).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { openScratchDatabase } from "@aimo/db";
import autocannon from "autocannon";
import pino from "pino";

import { startServer } from "../src/app";
import { serverEnvSchema } from "../src/env";
import type { BenchAccount } from "./corpus";
import { QUERY } from "./corpus";

const userCount = Number(process.env.BENCH_USERS ?? 10);
const perUser = Number(process.env.BENCH_MEMOS_PER_USER ?? 10_000);
const dims = Number(process.env.BENCH_DIMS ?? 384);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);

const scratch = await openScratchDatabase("bench_api");
const lancedb = await mkdtemp(join(tmpdir(), "aimo-bench-api-"));
const rawEnv = {
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
};
const env = serverEnvSchema.parse(rawEnv);
const logger = pino({ level: "silent" });

try {
  // Seeding builds 100k memos in memory: in this process, the heap it leaves behind would slow every
  // collection during the measurements. A server starts clean, and so does this one.
  const seedStarted = performance.now();
  const seedScript = fileURLToPath(new URL("./seed.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", seedScript], {
    env: {
      ...process.env,
      ...rawEnv,
      BENCH_USERS: String(userCount),
      BENCH_MEMOS_PER_USER: String(perUser),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const accounts = JSON.parse(stdout) as BenchAccount[];
  console.log(
    `seeded ${userCount * perUser} memos (${dims}-dim vectors) in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
  );
  const aimo = await startServer(env, logger);
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
  const searchUrl = `${aimo.url}/trpc/search.query?input=${input({ query: QUERY })}`;
  const search = await run(searchUrl, headers);
  const searchAlone = await run(searchUrl, headers, 1);
  console.table({
    ...Object.fromEntries(
      rounds.flatMap(({ plain, list }, round) => [
        [`round ${round + 1}: plain mysql2 + node:http, memo.list's SQL (baseline)`, summarise(plain)],
        [`round ${round + 1}: AIMO memo.list (newest 20)`, summarise(list)],
      ]),
    ),
    "plain mysql2 + node:http, 5 columns, no tags": summarise(narrow),
    "AIMO search.query (hybrid)": summarise(search),
    "AIMO search.query (hybrid), 1 client": summarise(searchAlone),
  });
  const overRounds = (pick: (r: (typeof rounds)[number]) => autocannon.Result) =>
    rounds.reduce((sum, r) => sum + pick(r).requests.total, 0) /
    rounds.reduce((sum, r) => sum + pick(r).duration, 0);
  console.log(
    `memo.list / baseline over ${roundCount} rounds: ${((overRounds((r) => r.list) / overRounds((r) => r.plain)) * 100).toFixed(0)}% (goal >= 70%); ` +
      `hybrid search median ${searchAlone.latency.p50} ms alone, ${search.latency.p50} ms under 20 clients (goal < 30 ms)`,
  );
  baselines.forEach((server) => server.close());
  await aimo.stop();
} finally {
  await scratch.drop();
  await rm(lancedb, { recursive: true, force: true });
}
