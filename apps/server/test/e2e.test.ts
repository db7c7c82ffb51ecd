import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { AimoClient } from "@aimo/client";
import { createAimoClient, TRPCClientError } from "@aimo/client";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import { testServerEnv } from "./server-env";

const mysql = scratchConfig("server_e2e");
let lancedbDir: string;
let server: RunningServer;

beforeAll(async () => {
  lancedbDir = await mkdtemp(join(tmpdir(), "aimo-e2e-"));
  const env = testServerEnv(mysql, {
    LANCEDB_URI: lancedbDir,
    EMBEDDING_DIMENSIONS: "128",
    JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
  });
  server = await startServer(env, pino({ level: "silent" }));
});
afterAll(async () => {
  await server.stop();
  await dropDatabase(mysql);
  await rm(lancedbDir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as unknown as {
    code: string;
    httpStatus: number;
    zodError: unknown;
  };
}

describe("AIMO end to end over HTTP with the typed client", () => {
  let client: AimoClient;

  it("registers, logs in and answers UNAUTHORIZED to missing or tampered tokens", async () => {
    const anonymous = createAimoClient({ url: server.url });
    await anonymous.auth.register.mutate({
      email: "e2e@example.test",
      password: "e2e password",
      nickname: "E2E",
    });
    const { token } = await anonymous.auth.login.mutate({
      email: "e2e@example.test",
      password: "e2e password",
    });
    client = createAimoClient({ url: server.url, token });
    expect(await client.auth.me.query()).toMatchObject({ email: "e2e@example.test", nickname: "E2E" });
    expect((await codeOf(anonymous.memo.list.query())).httpStatus).toBe(401);
    const tampered = createAimoClient({ url: server.url, token: `${token.slice(0, -4)}AAAA` });
    expect((await codeOf(tampered.auth.me.query())).code).toBe("UNAUTHORIZED");
    const bad = await codeOf(client.memo.list.query({ limit: 100_000 }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(JSON.stringify(bad.zodError)).toContain("limit");
  });

  it("files 200 linked memos in categories and tags, lists, searches, follows links and deletes", async () => {
    const work = await client.category.create.mutate({ name: "Work" });
    const urgent = await client.tag.create.mutate({ name: "urgent" });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const memo = await client.memo.create.mutate({
        content:
          i === 7 ? "季度报告需要在周五前完成" : `memo number ${i} about ${i % 2 ? "gardening" : "cooking"}`,
        categoryId: i % 4 === 0 ? work.id : undefined,
        tagIds: i % 10 === 0 ? [urgent.id] : [],
        tagNames: i % 25 === 0 ? ["milestone"] : [],
        linkedMemoIds: i > 0 ? [ids[i - 1]!] : [],
        isPublic: i === 3,
      });
      ids.push(memo.id);
    }
    const newest = await client.memo.list.query({ limit: 20 });
    expect(newest.items).toHaveLength(20);
    expect(newest.items[0]!.id).toBe(ids[199]);
    expect((await client.memo.list.query({ categoryId: work.id, limit: 100 })).items).toHaveLength(50);
    expect((await client.memo.list.query({ categoryId: "uncategorized", limit: 100 })).items).toHaveLength(
      100,
    );
    expect((await client.memo.list.query({ tagId: urgent.id, limit: 100 })).items).toHaveLength(20);
    expect((await client.memo.list.query({ keyword: "gardening", limit: 100 })).items).toHaveLength(99);
    expect((await client.memo.list.query({ isPublic: true })).items.map((m) => m.id)).toEqual([ids[3]]);
    const tags = await client.tag.list.query();
    expect(tags.map((t) => [t.name, t.usageCount])).toEqual([
      ["urgent", 20],
      ["milestone", 8],
    ]);

    const zh = await client.search.query.query({ query: "季度报告" });
    expect(zh.hits[0]!.memo.id).toBe(ids[7]);
    expect(
      (await client.search.query.query({ query: "gardening", mode: "semantic", limit: 5 })).hits,
    ).toHaveLength(5);
    expect((await client.relation.backlinks.query({ memoId: ids[10]! })).map((m) => m.id)).toEqual([ids[11]]);
    expect((await client.relation.graph.query()).edges).toHaveLength(199);

    const publicRead = await createAimoClient({ url: server.url }).memo.getPublic.query({ id: ids[3]! });
    expect(publicRead.content).toBe("memo number 3 about gardening");
    expect(
      (await codeOf(createAimoClient({ url: server.url }).memo.getPublic.query({ id: ids[4]! }))).code,
    ).toBe("NOT_FOUND");

    await client.memo.delete.mutate({ id: ids[10]! });
    expect(await client.relation.outgoing.query({ memoId: ids[11]! })).toEqual([]);
    expect((await client.tag.list.query()).find((t) => t.name === "urgent")?.usageCount).toBe(19);
    const search = await client.search.query.query({
      query: "memo number 10 about cooking",
      mode: "semantic",
      limit: 50,
    });
    expect(search.hits.map((h) => h.memo.id)).not.toContain(ids[10]);
  });

  it("accepts a personal API token as a bearer token", async () => {
    const { token } = await client.auth.createToken.mutate({ name: "script" });
    const script = createAimoClient({ url: server.url, token });
    expect((await script.auth.me.query()).email).toBe("e2e@example.test");
  });

  it("answers 400 over HTTP to a lone surrogate or an out-of-range cursor, in GET queries and POST mutations", async () => {
    const before = (await client.memo.list.query({ limit: 100 })).items.length;
    const cursor = Buffer.from('[1e400,"x"]').toString("base64url");
    const calls = [
      () => client.memo.list.query({ keyword: "\ud800" }),
      () => client.memo.list.query({ cursor }),
      () => client.memo.create.mutate({ content: "lone \udc00" }),
      () => client.tag.create.mutate({ name: "z\ud801" }),
    ];
    for (const call of calls) {
      expect(await codeOf(call())).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    }
    expect((await client.memo.list.query({ limit: 100 })).items).toHaveLength(before);
  });
});
