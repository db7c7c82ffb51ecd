import { afterEach, describe, expect, it } from "vitest";

import type { CachedVector, EmbeddingCacheStore } from "../src";
import {
  createDashScopeEmbedder,
  createLocalEmbedder,
  createOpenAiEmbedder,
  textModelHash,
  withEmbeddingCache,
} from "../src";
import { fakeVector, startFakeServer } from "./fake-server";

type FakeServer = Awaited<ReturnType<typeof startFakeServer>>;
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const openAiAnswer = (body: unknown, dimensions: number) => {
  const { input } = body as { input: string[] };
  return {
    data: input
      .map((text, index) => ({ index, embedding: fakeVector(text, dimensions), object: "embedding" }))
      .reverse(),
  };
};

const embedderFor = (url: string, overrides: Partial<Parameters<typeof createOpenAiEmbedder>[0]> = {}) =>
  createOpenAiEmbedder({
    baseUrl: url,
    apiKey: "sk-test",
    model: "m",
    dimensions: 4,
    batchSize: 2,
    timeoutMs: 2000,
    retries: 3,
    ...overrides,
  });

/** An in-memory cache store, the same contract LanceDB's caches keep. */
function memoryCache() {
  const rows = new Map<string, CachedVector>();
  const store: EmbeddingCacheStore & { rows: typeof rows } = {
    rows,
    async getMany(modelHash, hashes) {
      const found = new Map<string, Float32Array>();
      for (const hash of hashes) {
        const row = rows.get(`${modelHash}:${hash}`);
        if (row) found.set(hash, row.vector);
      }
      return found;
    },
    async putMany(entries) {
      for (const e of entries) rows.set(`${e.modelHash}:${e.contentHash}`, e);
    },
  };
  return store;
}

describe("OpenAI-compatible embedder", () => {
  it("batches inputs, sends model, dimensions and key, and returns vectors in input order", async () => {
    server = await startFakeServer((req) => ({ status: 200, body: openAiAnswer(req.body, 4) }));
    const vectors = await embedderFor(server.url).embed(["alpha", "beta", "gamma"]);
    expect(vectors.map((v) => Array.from(v))).toEqual(
      ["alpha", "beta", "gamma"].map((t) => fakeVector(t, 4)),
    );
    expect(server.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ["alpha", "beta"],
      ["gamma"],
    ]);
    expect(server.requests[0]).toMatchObject({
      path: "/embeddings",
      headers: { authorization: "Bearer sk-test" },
      body: { model: "m", dimensions: 4 },
    });
  });

  it("retries a 429 and succeeds", async () => {
    let calls = 0;
    server = await startFakeServer((req) =>
      ++calls === 1
        ? { status: 429, body: { error: "slow down" } }
        : { status: 200, body: openAiAnswer(req.body, 4) },
    );
    const [vector] = await embedderFor(server.url).embed(["x"]);
    expect(Array.from(vector!)).toEqual(fakeVector("x", 4));
    expect(calls).toBe(2);
  });

  it("gives up after a storm of 500s with a clear error", async () => {
    server = await startFakeServer(() => ({ status: 500, body: { error: "down" } }));
    await expect(embedderFor(server.url, { retries: 2 }).embed(["x"])).rejects.toThrow(
      /embedding API: HTTP 500/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 400 and names a wrong dimension", async () => {
    server = await startFakeServer(() => ({ status: 400, body: { error: "bad" } }));
    await expect(embedderFor(server.url).embed(["x"])).rejects.toThrow(/HTTP 400/);
    expect(server.requests).toHaveLength(1);
    await server.close();
    server = await startFakeServer((req) => ({ status: 200, body: openAiAnswer(req.body, 3) }));
    await expect(embedderFor(server.url).embed(["x"])).rejects.toThrow(
      /answered 3 dimensions, EMBEDDING_DIMENSIONS is 4/,
    );
  });

  it("goes through the cache: a second embedding of the same text makes no HTTP call", async () => {
    server = await startFakeServer((req) => ({ status: 200, body: openAiAnswer(req.body, 4) }));
    const cache = memoryCache();
    const embedder = withEmbeddingCache(embedderFor(server.url), cache);
    await embedder.embed(["one", "two", "one"]);
    expect(server.requests.flatMap((r) => (r.body as { input: string[] }).input)).toEqual(["one", "two"]);
    const again = await embedder.embed(["two", "one"]);
    expect(server.requests).toHaveLength(1);
    expect(Array.from(again[1]!)).toEqual(fakeVector("one", 4));
    // Keys are the legacy AIMO's, so migrated caches are hits.
    expect([...cache.rows.keys()][0]).toMatch(new RegExp(`^${textModelHash("m", 4)}:[0-9a-f]{64}$`));
  });

  it("stops retrying once its signal aborts, through the cache too", async () => {
    const controller = new AbortController();
    server = await startFakeServer(() => {
      controller.abort(new Error("deadline"));
      return { status: 500, body: { error: "down" } };
    });
    const embedder = withEmbeddingCache(embedderFor(server.url, { retries: 5 }), memoryCache());
    await expect(embedder.embed(["x"], { signal: controller.signal })).rejects.toThrow("deadline");
    expect(server.requests).toHaveLength(1);
  });
});

const dashScopeFor = (url: string, retries: number) =>
  createDashScopeEmbedder({
    baseUrl: url,
    apiKey: "k",
    model: "qwen3-vl-embedding",
    dimensions: 4,
    batchSize: 8,
    timeoutMs: 2000,
    retries,
  });

describe("DashScope multimodal embedder", () => {
  it("speaks the multimodal-embedding protocol and keeps input order", async () => {
    server = await startFakeServer((req) => {
      const { input } = req.body as { input: { contents: Record<string, string>[] } };
      return {
        status: 200,
        body: {
          output: {
            embeddings: input.contents.map((c, index) => ({
              index,
              type: Object.keys(c)[0],
              embedding: fakeVector(Object.values(c)[0]!, 4),
            })),
          },
          request_id: "r",
        },
      };
    });
    const embedder = dashScopeFor(server.url, 1);
    const vectors = await embedder.embed([{ text: "a cat" }, { image: "data:image/png;base64,AAAA" }]);
    expect(Array.from(vectors[0]!)).toEqual(fakeVector("a cat", 4));
    expect(server.requests[0]).toMatchObject({
      path: "/services/embeddings/multimodal-embedding/multimodal-embedding",
      headers: { authorization: "Bearer k" },
      body: { model: "qwen3-vl-embedding", parameters: { dimension: 4 } },
    });
  });

  it("stops retrying once its signal aborts", async () => {
    const controller = new AbortController();
    server = await startFakeServer(() => {
      controller.abort(new Error("deadline"));
      return { status: 503, body: { code: "Throttling" } };
    });
    const embedder = dashScopeFor(server.url, 5);
    await expect(embedder.embed([{ text: "a cat" }], { signal: controller.signal })).rejects.toThrow(
      "deadline",
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("local embedder", () => {
  const embedder = createLocalEmbedder(256);
  const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

  it("is deterministic and L2-normalised", async () => {
    const [a, b] = await embedder.embed(["Hello world", "Hello world"]);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    const [empty] = await embedder.embed([""]);
    expect(cosine(empty!, empty!)).toBeCloseTo(1, 5);
  });

  it("ranks a text sharing words (or Chinese characters) above an unrelated one", async () => {
    const [query, related, unrelated, zhQuery, zhRelated, zhUnrelated] = await embedder.embed([
      "coffee brewing",
      "notes on brewing coffee at home",
      "quarterly tax filing",
      "学习机器学习",
      "今天学习了机器学习的基础",
      "周末去公园散步",
    ]);
    expect(cosine(query!, related!)).toBeGreaterThan(cosine(query!, unrelated!) + 0.2);
    expect(cosine(zhQuery!, zhRelated!)).toBeGreaterThan(cosine(zhQuery!, zhUnrelated!) + 0.2);
  });
});
