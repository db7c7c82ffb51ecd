import { z } from "zod";

import type { Embedder } from "../types";
import type { EmbeddingCacheStore } from "./cache";
import { withEmbeddingCache } from "./cache";
import { createLocalEmbedder } from "./local";
import { createOpenAiEmbedder } from "./openai";

export const embeddingEnvSchema = z.object({
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(2).max(8192).default(1536),
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(96),
  EMBEDDING_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  EMBEDDING_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
});

export type EmbeddingEnv = z.infer<typeof embeddingEnvSchema>;

/** An embedding API is used when one is configured; otherwise the offline local embedder. */
export function isEmbeddingApiConfigured(env: EmbeddingEnv): boolean {
  return Boolean(env.OPENAI_BASE_URL ?? env.OPENAI_API_KEY);
}

/** The model name vectors are recorded with; known before any provider is built. */
export function embeddingModelName(env: EmbeddingEnv): string {
  return isEmbeddingApiConfigured(env) ? env.OPENAI_EMBEDDING_MODEL : createLocalEmbedder(2).model;
}

/**
 * The configured embedder. An API embedder reads through the cache; the local one does not, because
 * computing its vector is cheaper than looking one up.
 */
export function createEmbedderFromEnv(env: EmbeddingEnv, cache: EmbeddingCacheStore): Embedder {
  if (!isEmbeddingApiConfigured(env)) return createLocalEmbedder(env.EMBEDDING_DIMENSIONS);
  return withEmbeddingCache(
    createOpenAiEmbedder({
      baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
      apiKey: env.OPENAI_API_KEY,
      model: env.OPENAI_EMBEDDING_MODEL,
      dimensions: env.EMBEDDING_DIMENSIONS,
      batchSize: env.EMBEDDING_BATCH_SIZE,
      timeoutMs: env.EMBEDDING_TIMEOUT_MS,
      retries: env.EMBEDDING_RETRIES,
    }),
    cache,
  );
}
