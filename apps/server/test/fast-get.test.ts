import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import { testServerEnv } from "./server-env";

const mysql = scratchConfig("server_trpc_queries");
let lancedbDir: string;
let server: RunningServer;
let token: string;
let memoId: string;

const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));

async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const response = await fetch(`${server.url}/trpc/${path}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function mutate<T>(path: string, input: unknown, bearer?: string): Promise<T> {
  const response = await fetch(`${server.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ json: input }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

beforeAll(async () => {
  lancedbDir = await mkdtemp(join(tmpdir(), "aimo-trpc-queries-"));
  server = await startServer(
    testServerEnv(mysql, {
      LANCEDB_URI: lancedbDir,
      EMBEDDING_DIMENSIONS: "64",
      JWT_SECRET: "queries-secret-queries-secret-queries",
    }),
    pino({ level: "silent" }),
  );
  ({ token } = await mutate<{ token: string }>("auth.register", {
    email: "queries@example.test",
    password: "queries password",
  }));
  ({ id: memoId } = await mutate<{ id: string }>("memo.create", { content: "a memo read by GET" }, token));
});
afterAll(async () => {
  await server.stop();
  await dropDatabase(mysql);
  await rm(lancedbDir, { recursive: true, force: true });
});

describe("GET queries over the tRPC protocol", () => {
  it("answers a single query with the superjson envelope, a length and the vary header", async () => {
    const { status, headers, body } = await get(`memo.list?input=${encode({ json: { limit: 5 } })}`);
    expect(status).toBe(200);
    expect(headers.get("content-length")).toBe(String(JSON.stringify(body).length));
    expect(headers.get("vary")).toBe("trpc-accept, accept, origin");
    expect(body).toMatchObject({
      result: { data: { json: { items: [{ id: memoId, content: "a memo read by GET" }] } } },
    });
  });

  it("answers a batch in order, each call with its own result or error, 207 when they differ", async () => {
    const input = encode({
      0: { json: { id: memoId } },
      1: { json: { limit: 5000 } },
      2: { json: { id: "nope" } },
    });
    const { status, body } = await get(`memo.get,memo.list,memo.get?batch=1&input=${input}`);
    expect(status).toBe(207);
    const [found, tooBig, missing] = body as [
      { result: { data: { json: { id: string } } } },
      { error: { json: { data: { code: string; httpStatus: number; path: string; zodError: unknown } } } },
      { error: { json: { data: { code: string; httpStatus: number } } } },
    ];
    expect(found.result.data.json.id).toBe(memoId);
    expect(tooBig.error.json.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, path: "memo.list" });
    expect(tooBig.error.json.data.zodError).toMatchObject({ fieldErrors: { limit: [expect.any(String)] } });
    expect(missing.error.json.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
  });

  it("answers UNAUTHORIZED without a token, and the public read without one", async () => {
    const denied = await get(`memo.list?input=${encode({ json: {} })}`, {});
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ error: { json: { data: { code: "UNAUTHORIZED" } } } });
    const publicRead = await get(`memo.getPublic?input=${encode({ json: { id: memoId } })}`, {});
    expect(publicRead.status).toBe(404);
  });

  it("leaves mutations, unknown paths and malformed input to the adapter's protocol errors", async () => {
    const mutation = await get(`memo.create?input=${encode({ json: { content: "x" } })}`);
    expect(mutation.status).toBe(405);
    expect((await get("memo.nothing")).status).toBe(404);
    expect((await get("memo.list?input=%7Bnot-json")).status).toBe(400);
    const badEscape = await fetch(`${server.url}/trpc/memo.%E0%A4%A`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(badEscape.status).toBeGreaterThanOrEqual(400);
    expect(badEscape.status).toBeLessThan(500);
    const list = await get(`memo.list?input=${encode({ json: { limit: 5 } })}`);
    expect(
      (list.body as { result: { data: { json: { items: unknown[] } } } }).result.data.json.items,
    ).toHaveLength(1);
  });
});
