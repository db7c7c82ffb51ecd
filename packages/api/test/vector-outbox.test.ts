import { once } from "node:events";

import { createOpenAiEmbedder } from "@aimo/ai";
import { vectorJobs } from "@aimo/db";
import type { FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi } from "@aimo/fake-services";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { memoJobs, runDue } from "../src/server";
import type { Harness } from "./harness";
import { openHarness } from "./harness";

let h: Harness;
let openai: FakeOpenAi;

const embedderOf = (url: string, dimensions: number) =>
  createOpenAiEmbedder({
    baseUrl: url,
    model: "concepts",
    dimensions,
    batchSize: 32,
    timeoutMs: 30_000,
    retries: 0,
  });

beforeAll(async () => {
  openai = await startFakeOpenAi();
  h = await openHarness("api_outbox", { embedder: (dimensions) => embedderOf(openai.url, dimensions) });
});
afterAll(async () => {
  await h.close();
  await openai.close();
});

/** Makes the fake embedding API hold its answers until the returned function is called. */
function holdEmbeddings() {
  let release!: () => void;
  openai.state.holdEmbeddings = new Promise<void>((resolve) => (release = resolve));
  return () => {
    openai.state.holdEmbeddings = undefined;
    release();
  };
}

/** A caller whose embedding API is down: its writes leave their jobs pending. */
const downCaller = (uid: string) =>
  h.caller(uid, {
    embedder: {
      model: "down",
      dimensions: h.embedder.dimensions,
      embed: () => Promise.reject(new Error("down")),
    },
  });

/** Makes these targets' jobs due now, as if their backoff had run out. */
const makeDue = (ids: string[]) =>
  h.db.db
    .update(vectorJobs)
    .set({ runAfter: sql`NOW(3) - INTERVAL 1 SECOND` })
    .where(inArray(vectorJobs.targetId, ids));

const jobsOf = (ids: string[]) => h.db.db.select().from(vectorJobs).where(inArray(vectorJobs.targetId, ids));

describe("vector outbox", () => {
  it("lets two workers run at once and embeds each due job exactly once", async () => {
    const { uid } = await h.user();
    const down = downCaller(uid);
    const contents = [
      "first waiting note",
      "second waiting note",
      "third waiting note",
      "fourth waiting note",
    ];
    const ids: string[] = [];
    for (const content of contents) ids.push((await down.memo.create({ content })).id);
    await makeDue(ids);
    // Two server processes' workers, each embedding without a cache so every embedding is a request.
    const deps = { ...h.deps, embedder: embedderOf(openai.url, h.embedder.dimensions) };
    const seenBefore = openai.embeddingInputs.length;

    const release = holdEmbeddings();
    try {
      const firstAsked = once(openai.events, "embeddings");
      const first = runDue(deps, memoJobs);
      await firstAsked;
      // While the first worker waits on the API, the second one looks for due work.
      const second = runDue(deps, memoJobs);
      await Promise.race([second, once(openai.events, "embeddings")]);
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(a + b).toBe(contents.length);
    } finally {
      release();
    }
    expect(openai.embeddingInputs.slice(seenBefore).flat().sort()).toEqual([...contents].sort());
    expect(await jobsOf(ids)).toEqual([]);
    expect((await h.vectors.memos.get(ids)).map((v) => v.uid)).toEqual(ids.map(() => uid));
  });

  it("writes a new memo's rows once, and a retry after a half-done attempt leaves one row per table", async () => {
    const { uid, api } = await h.user();
    const down = downCaller(uid);
    // The create's own attempt writes the keyword text, then fails on the embedding.
    const memo = await down.memo.create({ content: "pick up the framed print on thursday" });
    expect(await jobsOf([memo.id])).toMatchObject([{ attempts: 1 }]);
    expect(await h.vectors.memoTexts.count(uid)).toBe(1);

    await makeDue([memo.id]);
    expect(await runDue(h.deps, memoJobs)).toBe(1);
    expect(await h.vectors.memoTexts.count(uid)).toBe(1);
    expect(await h.vectors.memos.count(uid)).toBe(1);
    const fresh = await api.memo.create({ content: "water the fern" });
    expect(fresh.indexState).toEqual({ status: "indexed" });
    expect(await h.vectors.memoTexts.count(uid)).toBe(2);
    expect(await h.vectors.memos.count(uid)).toBe(2);
  });

  it("writes a memo again when an older attempt's vector lands after a newer edit was indexed", async () => {
    const { uid, api } = await h.user();
    const down = downCaller(uid);
    const memo = await down.memo.create({ content: "repot the tulips in march" });
    await makeDue([memo.id]);
    const worker = { ...h.deps, embedder: embedderOf(openai.url, h.embedder.dimensions) };
    const edited = "book the piano tuner for april";
    const [oldVector, newVector] = await worker.embedder.embed(["repot the tulips in march", edited]);

    const release = holdEmbeddings();
    let stale: Promise<number>;
    try {
      const asked = once(openai.events, "embeddings");
      // The worker has read the first text and waits for its embedding...
      stale = runDue(worker, memoJobs);
      await asked;
      // ...while the edit is indexed at once (new requests to the API are no longer held).
      openai.state.holdEmbeddings = undefined;
      expect((await api.memo.update({ id: memo.id, content: edited })).indexState).toEqual({
        status: "indexed",
      });
    } finally {
      release();
    }
    expect(await stale).toBe(1);
    // The older attempt's vector landed last; its job was overtaken, so the memo is due again.
    expect((await h.vectors.memos.get([memo.id]))[0]!.vector).toEqual(Float32Array.from(oldVector!));
    expect(await jobsOf([memo.id])).toMatchObject([{ status: "pending", op: "upsert", attempts: 0 }]);

    expect(await runDue(worker, memoJobs)).toBe(1);
    expect(await jobsOf([memo.id])).toEqual([]);
    expect((await h.vectors.memos.get([memo.id]))[0]!.vector).toEqual(Float32Array.from(newVector!));
    const found = (query: string) =>
      api.search.query({ query, mode: "keyword" }).then((r) => r.hits.map((hit) => hit.memo.id));
    expect(await found("piano")).toEqual([memo.id]);
    expect(await found("tulips")).toEqual([]);
  });

  it("answers pending and degraded at the deadline when the embedding API is slow; the worker finishes", async () => {
    const { uid, api } = await h.user();
    const listed = await api.memo.create({ content: "quarterly checklist for the accountant" });
    const impatient = h.caller(uid, { config: { ...h.deps.config, vectorDeadlineMs: 50 } });

    const release = holdEmbeddings();
    let written;
    try {
      written = await impatient.memo.create({ content: "renew the passport before summer" });
      expect(written.indexState).toEqual({ status: "pending" });
      // A cut-off attempt is handed back, not counted as a failure.
      expect(await jobsOf([written.id])).toMatchObject([{ attempts: 0, lastError: null }]);

      const search = await impatient.search.query({ query: "checklist", mode: "hybrid" });
      expect(search.degraded).toBe(true);
      expect(search.hits.map((hit) => hit.memo.id)).toEqual([listed.id]);
    } finally {
      release();
    }
    expect(await runDue(h.deps, memoJobs)).toBeGreaterThanOrEqual(1);
    expect((await api.memo.get({ id: written.id })).indexState).toEqual({ status: "indexed" });
    expect((await h.vectors.memos.get([written.id])).map((v) => v.uid)).toEqual([uid]);
  });
});
