/**
 * One server process against two on the same database and LanceDB location, behind one load generator: the bench
 * corpus (@aimo/bench-corpus) is seeded by a separate process, two real servers (the main entry, schedulers on)
 * start on it, and autocannon sends 20 connections either all to the first process or half to each, alternating
 * round after round, for the heaviest user's memo.list (newest 20), hybrid search.query and memo.create. Prints
 * req/s of each run and the two-process / one-process ratio over the rounds.
 * BENCH_MEMOS (20000), BENCH_USERS (10), BENCH_DIMS (384), BENCH_SECONDS (10 per run), BENCH_ROUNDS (3).
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import { KEYWORD_QUERIES } from "@aimo/bench-corpus";
import { openScratchDatabase } from "@aimo/db/testing";
import autocannon from "autocannon";

import type { ServerProcess } from "../test/child-server";
import { runServer } from "../test/child-server";
import { benchServerEnv, seedInChildProcess } from "./corpus";

const memoCount = Number(process.env.BENCH_MEMOS ?? 20_000);
const userCount = Number(process.env.BENCH_USERS ?? 10);
const dims = Number(process.env.BENCH_DIMS ?? 384);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 20;
const QUERY = KEYWORD_QUERIES.find((q) => q.frequency === "mid" && q.language === "zh")!.text;

/** A port free right now (the server is told it; port 0 would hide it behind logs the bench keeps quiet). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls /readyz until the server answers 200 (start-up migrates and opens LanceDB first). */
async function ready(url: string, server: ServerProcess) {
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.stderr()}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await delay(250);
  }
}

const scratch = await openScratchDatabase("bench_processes");
const lancedb = await mkdtemp(join(tmpdir(), "aimo-bench-processes-"));
const serverEnv = { ...benchServerEnv(scratch, lancedb, dims), LOG_LEVEL: "warn" };
const servers: ServerProcess[] = [];

try {
  const seedStarted = performance.now();
  const accounts = await seedInChildProcess({ ...serverEnv, PORT: "0" }, memoCount, userCount);
  console.log(
    `${memoCount} memos of ${userCount} users seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
  );
  const { token, memoCount: benchMemos } = [...accounts].sort((a, b) => b.memoCount - a.memoCount)[0]!;

  const urls: string[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const server = runServer({ ...serverEnv, MYSQL_URL: "", HOST: "127.0.0.1", PORT: String(port) });
    servers.push(server);
    urls.push(`http://127.0.0.1:${port}`);
  }
  await Promise.all(urls.map((url, i) => ready(url, servers[i]!)));

  const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  let created = 0;
  const workloads: Record<string, (base: string) => autocannon.Options> = {
    "memo.list (newest 20)": (base) => ({ url: `${base}/trpc/memo.list?input=${input({ limit: 20 })}` }),
    [`search.query (hybrid, "${QUERY}")`]: (base) => ({
      url: `${base}/trpc/search.query?input=${input({ query: QUERY, mode: "hybrid" })}`,
    }),
    // Each request a new text (setupRequest; autocannon's idReplacement leaves a stale content-length, and the
    // server then waits for bytes that never come).
    "memo.create": (base) => ({
      url: `${base}/trpc/memo.create`,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ json: { content: `load from one generator, note ${++created}` } }),
          }),
        },
      ],
    }),
  };
  /** Runs one workload against `bases`, the connections split evenly, all at once; the totals summed. */
  const run = async (options: (base: string) => autocannon.Options, bases: string[]) => {
    const results = await Promise.all(
      bases.map((base) =>
        autocannon({
          ...options(base),
          headers,
          connections: CONNECTIONS / bases.length,
          duration: seconds,
        }),
      ),
    );
    return {
      requests: results.reduce((sum, r) => sum + r.requests.total, 0),
      duration: Math.max(...results.map((r) => r.duration)),
      errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      p97_5: Math.max(...results.map((r) => r.latency.p97_5)),
    };
  };
  type Run = Awaited<ReturnType<typeof run>>;
  const table: Record<string, Record<string, number>> = {};
  const ratios: string[] = [];
  for (const [name, options] of Object.entries(workloads)) {
    await run(options, urls); // warm-up of both processes
    const one: Run[] = [];
    const two: Run[] = [];
    for (let round = 0; round < roundCount; round++) {
      one.push(await run(options, [urls[0]!]));
      two.push(await run(options, urls));
    }
    const describe = (r: Run) => ({
      "req/s": Math.round(r.requests / r.duration),
      "p97.5 ms (worst process)": r.p97_5,
      errors: r.errors,
    });
    one.forEach((r, round) => (table[`${name}, round ${round + 1}: one process`] = describe(r)));
    two.forEach((r, round) => (table[`${name}, round ${round + 1}: two processes`] = describe(r)));
    const rate = (runs: Run[]) =>
      runs.reduce((sum, r) => sum + r.requests, 0) / runs.reduce((sum, r) => sum + r.duration, 0);
    ratios.push(
      `${name}: two processes ${rate(two).toFixed(0)} req/s, one ${rate(one).toFixed(0)} req/s (${(
        rate(two) / rate(one)
      ).toFixed(2)}x)`,
    );
  }
  console.table(table);
  console.log(
    `${CONNECTIONS} connections from one autocannon process, heaviest user (${benchMemos} memos), ${roundCount} rounds of ${seconds} s:`,
  );
  for (const line of ratios) console.log(`  ${line}`);
} finally {
  await Promise.all(
    servers.map((server) => {
      server.child.kill("SIGTERM");
      return server.exited;
    }),
  );
  await scratch.drop();
  await rm(lancedb, { recursive: true, force: true });
}
