import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import { testServerEnv } from "./server-env";

/**
 * The production handler against tRPC's adapter alone: two servers on one database, the second with
 * TRPC_FAST_PATH=false, where src/trpc/index.ts hands every request to tRPC's standalone adapter.
 * Each request below goes to both; the answers must agree in status, the headers a client reads, and body.
 */
const mysql = scratchConfig("server_trpc_equivalence");
const lancedbDirs: string[] = [];
let production: RunningServer;
let adapterOnly: RunningServer;
let token: string;
let memoId: string;
let publicMemoId: string;

const HEADERS_THAT_MATTER = ["content-type", "vary", "allow"] as const;
const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const input = (value: unknown) => `input=${encode({ json: value })}`;
const batchInput = (values: unknown[]) =>
  `batch=1&input=${encode(Object.fromEntries(values.map((value, index) => [index, { json: value }])))}`;

interface Probe {
  name: string;
  path: string;
  method?: "GET" | "POST";
  body?: unknown;
  anonymous?: boolean;
  /** Run before the request to each server, so that both find the same state. */
  before?: () => Promise<unknown>;
}

async function send(server: RunningServer, probe: Probe) {
  await probe.before?.();
  const response = await fetch(`${server.url}${probe.path}`, {
    method: probe.method ?? "GET",
    headers: {
      ...(probe.anonymous ? {} : { authorization: `Bearer ${token}` }),
      ...(probe.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: probe.body === undefined ? undefined : JSON.stringify({ json: probe.body }),
  });
  const body = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(HEADERS_THAT_MATTER.map((name) => [name, response.headers.get(name)])),
    body: body === "" ? body : (JSON.parse(body) as unknown),
    contentLength: response.headers.get("content-length"),
    byteLength: Buffer.byteLength(body),
  };
}

async function startWith(fastPath: string): Promise<RunningServer> {
  const lancedbDir = await mkdtemp(join(tmpdir(), "aimo-trpc-equivalence-"));
  lancedbDirs.push(lancedbDir);
  return startServer(
    testServerEnv(mysql, {
      LANCEDB_URI: lancedbDir,
      EMBEDDING_DIMENSIONS: "64",
      JWT_SECRET: "equivalence-secret-equivalence-secret",
      SCHEDULER_ENABLED: "false",
      TRPC_FAST_PATH: fastPath,
    }),
    pino({ level: "silent" }),
  );
}

const post = async <T>(path: string, body: unknown, bearer?: string): Promise<T> => {
  const response = await fetch(`${production.url}/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ json: body }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
};

beforeAll(async () => {
  production = await startWith("true");
  adapterOnly = await startWith("false");
  ({ token } = await post<{ token: string }>("auth.register", {
    email: "equivalence@example.test",
    password: "equivalence password",
  }));
  ({ id: memoId } = await post<{ id: string }>("memo.create", { content: "the same answer twice" }, token));
  ({ id: publicMemoId } = await post<{ id: string }>(
    "memo.create",
    { content: "a public memo", isPublic: true },
    token,
  ));
});
afterAll(async () => {
  await production.stop();
  await adapterOnly.stop();
  await dropDatabase(mysql);
  await Promise.all(lancedbDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// A function: the paths name the memo created in beforeAll.
const probes = (): Probe[] => [
  { name: "a single query", path: `/trpc/memo.list?${input({ limit: 5 })}` },
  { name: "a single query without input", path: "/trpc/category.list" },
  { name: "a public query without a token", path: "/trpc/system.version", anonymous: true },
  {
    name: "a batch of queries",
    path: `/trpc/memo.get,memo.list?${batchInput([{ id: memoId }, { limit: 2 }])}`,
  },
  {
    name: "a batch with mixed statuses (207)",
    path: `/trpc/memo.get,memo.list,memo.get?${batchInput([{ id: memoId }, { limit: 5000 }, { id: "nope" }])}`,
  },
  {
    name: "a batch with a call without input",
    path: `/trpc/memo.list,tag.list?${batchInput([{ limit: 1 }])}`,
  },
  { name: "unauthorised", path: `/trpc/memo.list?${input({})}`, anonymous: true },
  {
    name: "an unauthorised batch beside a public call",
    path: `/trpc/system.version,memo.list?${batchInput([undefined, {}])}`,
    anonymous: true,
  },
  { name: "a bad input", path: `/trpc/memo.list?${input({ limit: 5000 })}` },
  { name: "an unknown input field", path: `/trpc/memo.list?${input({ limit: 5, colour: "red" })}` },
  { name: "a missing input", path: "/trpc/memo.get" },
  { name: "a missing memo", path: `/trpc/memo.get?${input({ id: "nope" })}` },
  { name: "an unknown path", path: "/trpc/memo.nothing" },
  { name: "an unknown path in a batch", path: `/trpc/memo.list,memo.nothing?${batchInput([{ limit: 1 }])}` },
  { name: "a mutation as GET", path: `/trpc/memo.create?${input({ content: "never written" })}` },
  {
    name: "a mutation in a GET batch",
    path: `/trpc/memo.list,memo.create?${batchInput([{ limit: 1 }, { content: "never written" }])}`,
  },
  { name: "a malformed path", path: "/trpc/memo.%E0%A4%A" },
  { name: "a path with a trailing slash", path: `/trpc/memo.list/?${input({ limit: 1 })}` },
  { name: "input that is not JSON", path: "/trpc/memo.list?input=%7Bnot-json" },
  { name: "a batch input that is not an object", path: "/trpc/memo.list?batch=1&input=5" },
  { name: "several paths without batch=1", path: `/trpc/memo.list,tag.list?${input({ limit: 1 })}` },
  {
    name: "a batch over the size limit",
    path: `/trpc/${Array.from({ length: 51 }, () => "tag.list").join(",")}?batch=1`,
  },
  {
    name: "a mutation",
    path: "/trpc/relation.unlink",
    method: "POST",
    body: { sourceMemoId: memoId, targetMemoId: publicMemoId },
    before: () => post("relation.link", { sourceMemoId: memoId, targetMemoId: publicMemoId }, token),
  },
  {
    name: "a public query of a public memo",
    path: `/trpc/memo.getPublic?${input({ id: publicMemoId })}`,
    anonymous: true,
  },
  { name: "a mutation with a bad input", path: "/trpc/user.update", method: "POST", body: { nickname: 5 } },
  { name: "a query as POST", path: "/trpc/memo.list", method: "POST", body: { limit: 1 } },
];

describe("the production tRPC handler answers as tRPC's adapter alone", () => {
  it.each(probes().map((probe) => probe.name))("%s", async (name) => {
    const probe = probes().find((candidate) => candidate.name === name)!;
    const fromAdapter = await send(adapterOnly, probe);
    const fromProduction = await send(production, probe);
    expect({ ...fromProduction, contentLength: undefined, byteLength: undefined }).toEqual({
      ...fromAdapter,
      contentLength: undefined,
      byteLength: undefined,
    });
    if (fromProduction.contentLength !== null)
      expect(Number(fromProduction.contentLength)).toBe(fromProduction.byteLength);
  });

  it("compares two different handlers: the fast path sends a length, the adapter streams", async () => {
    const probe = { name: "a single query", path: `/trpc/memo.list?${input({ limit: 5 })}` };
    expect((await send(production, probe)).contentLength).not.toBeNull();
    expect((await send(adapterOnly, probe)).contentLength).toBeNull();
  });
});
