import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Embedder } from "@aimo/ai";
import { createLocalEmbedder, withEmbeddingCache } from "@aimo/ai";
import type { ScratchDatabase } from "@aimo/db/testing";
import { openScratchDatabase } from "@aimo/db/testing";
import type { VectorStore } from "@aimo/vectors";
import { createLocalStorage } from "@aimo/storage";
import { openVectorStore } from "@aimo/vectors";
import { TRPCError } from "@trpc/server";
import pino from "pino";
import { expect } from "vitest";

import { appRouter } from "../src";
import type { ApiDeps, Context } from "../src/server";
import {
  attachmentEnvSchema,
  attachmentSettingsFromEnv,
  createContext,
  createLoginThrottle,
} from "../src/server";
import { createCallerFactory } from "../src/trpc";

export const DIMENSIONS = 64;
const createCaller = createCallerFactory(appRouter);

export interface Harness {
  db: ScratchDatabase;
  vectors: VectorStore;
  embedder: Embedder;
  /** The dependencies every context shares, built once like the server's. */
  deps: ApiDeps;
  context(uid: string | null, overrides?: Partial<Context>): Context;
  caller(uid: string | null, overrides?: Partial<Context>): ReturnType<typeof createCaller>;
  /** A real LanceDB store that has been closed: every call fails, as when LanceDB is unavailable. */
  unavailableVectors(): Promise<VectorStore>;
  /** Registers a user and returns their uid and a caller acting as them. */
  user(email?: string): Promise<{ uid: string; api: ReturnType<typeof createCaller>; token: string }>;
  close(): Promise<void>;
}

/** A real scratch MySQL database and a real LanceDB directory, with the offline embedder by default. */
export async function openHarness(
  label: string,
  options: { embedder?: (dimensions: number) => Embedder; multimodalDimensions?: number } = {},
): Promise<Harness> {
  const db = await openScratchDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `aimo-${label}-`));
  const base = options.embedder?.(DIMENSIONS) ?? createLocalEmbedder(DIMENSIONS);
  const openVectors = (uri: string) =>
    openVectorStore({
      uri,
      versionRetentionMinutes: 0,
      embeddingModel: base.model,
      embeddingDimensions: DIMENSIONS,
      multimodalModel: "none",
      multimodalDimensions: options.multimodalDimensions ?? 4,
    });
  const vectors = await openVectors(dir);
  const embedder = withEmbeddingCache(base, vectors.embeddingCache);
  const loginThrottle = createLoginThrottle(db);
  const jwtSecret = new TextEncoder().encode("test-secret-test-secret-test-secret!");
  const attachments = attachmentSettingsFromEnv(
    attachmentEnvSchema.parse({ ATTACHMENT_TMP_DIR: join(dir, "spool") }),
    createLocalStorage(join(dir, "attachments")),
    jwtSecret,
  );
  const deps: ApiDeps = {
    db: db.db,
    pingDb: () => db.ping(),
    vectors,
    embedder,
    multimodal: null,
    chat: null,
    attachments,
    config: {
      jwtSecret,
      jwtTtlSeconds: 3600,
      timezone: "UTC",
      push: { allowPrivateTargets: true, meowBaseUrl: "http://127.0.0.1:9" },
      // Far above any write's embedding time on a busy machine; the deadline tests set their own.
      vectorDeadlineMs: 60_000,
    },
    loginThrottle,
    logger: pino({ level: "silent" }),
    version: "test",
  };
  let counter = 0;
  const context = (uid: string | null, overrides: Partial<Context> = {}): Context => ({
    ...createContext(deps, { user: uid ? { uid } : null, clientIp: "127.0.0.1", requestId: "test" }),
    ...overrides,
  });
  const caller = (uid: string | null, overrides?: Partial<Context>) => createCaller(context(uid, overrides));
  return {
    db,
    vectors,
    embedder,
    deps,
    context,
    caller,
    async unavailableVectors() {
      const closed = await openVectors(join(dir, "closed"));
      await closed.close();
      return closed;
    },
    async user(email = `user${++counter}-${Date.now()}@example.test`) {
      const { user, token } = await caller(null).auth.register({ email, password: "correct horse battery" });
      return { uid: user.uid, api: caller(user.uid), token };
    },
    async close() {
      await vectors.close();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

/** Asserts a tRPC error code (and, for BAD_REQUEST from zod, that field errors came with it). */
export async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

/**
 * An OpenAI-compatible embedding server that gives related words related vectors: each synonym group is one
 * direction, so "automobile" is near "car" with no shared keyword. `failing` makes it answer 500.
 */
export async function startConceptEmbeddingServer(groups: string[][]) {
  const concept = new Map<string, number>();
  groups.forEach((words, i) => words.forEach((w) => concept.set(w, i)));
  const state = { failing: false, calls: 0 };
  const embed = (text: string, dimensions: number) => {
    const v = new Array<number>(dimensions).fill(0);
    v[dimensions - 1] = 0.05;
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const c = concept.get(word);
      if (c !== undefined) v[c % (dimensions - 1)]! += 1;
    }
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      state.calls++;
      if (state.failing) {
        res.writeHead(500, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "down" } }));
      }
      const body = JSON.parse(raw) as { input: string[]; dimensions: number };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          data: body.input.map((text, index) => ({ index, embedding: embed(text, body.dimensions) })),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
