import { z } from "zod";

import type { MultimodalEmbedder } from "../types";
import type { EmbeddingCacheStore } from "./cache";
import { withMultimodalCache } from "./cache";
import { createDashScopeEmbedder } from "./dashscope";
import { embeddingEnvSchema } from "./env";

export const multimodalEnvSchema = embeddingEnvSchema
  .pick({ EMBEDDING_TIMEOUT_MS: true, EMBEDDING_RETRIES: true })
  .extend({
    DASHSCOPE_API_KEY: z.string().min(1).optional(),
    DASHSCOPE_BASE_URL: z.url().default("https://dashscope.aliyuncs.com/api/v1"),
    MULTIMODAL_EMBEDDING_MODEL: z.string().min(1).default("qwen3-vl-embedding"),
    MULTIMODAL_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(2).max(8192).default(1024),
  });

export type MultimodalEnv = z.infer<typeof multimodalEnvSchema>;

/** Off (null) unless DASHSCOPE_API_KEY is set. */
export function createMultimodalEmbedderFromEnv(
  env: MultimodalEnv,
  cache: EmbeddingCacheStore,
): MultimodalEmbedder | null {
  if (!env.DASHSCOPE_API_KEY) return null;
  const embedder = createDashScopeEmbedder({
    baseUrl: env.DASHSCOPE_BASE_URL,
    apiKey: env.DASHSCOPE_API_KEY,
    model: env.MULTIMODAL_EMBEDDING_MODEL,
    dimensions: env.MULTIMODAL_EMBEDDING_DIMENSIONS,
    batchSize: 8,
    timeoutMs: env.EMBEDDING_TIMEOUT_MS,
    retries: env.EMBEDDING_RETRIES,
  });
  return withMultimodalCache(embedder, cache, {
    model: env.MULTIMODAL_EMBEDDING_MODEL,
    outputType: "dense",
    dimension: env.MULTIMODAL_EMBEDDING_DIMENSIONS,
  });
}

/** The model attachment vectors are recorded with (an empty table takes a new model freely). */
export function multimodalModelName(env: MultimodalEnv): string {
  return env.MULTIMODAL_EMBEDDING_MODEL;
}
