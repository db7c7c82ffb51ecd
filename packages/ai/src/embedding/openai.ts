import { z } from "zod";

import { postJson, ProviderError } from "../http/post-json";
import type { Embedder } from "../types";

export interface OpenAiEmbedderOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  dimensions: number;
  batchSize: number;
  timeoutMs: number;
  retries: number;
}

const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

/** OpenAI-compatible `POST /embeddings`, many inputs per request, answers put back in input order. */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
  const embedBatch = async (texts: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    const json = await postJson({
      url,
      provider: "embedding API",
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
      body: { model: options.model, input: texts, dimensions: options.dimensions, encoding_format: "float" },
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      signal,
    });
    const parsed = embeddingsResponse.safeParse(json);
    if (!parsed.success) throw new ProviderError(`embedding API: malformed answer: ${parsed.error.message}`);
    const vectors = new Array<Float32Array | undefined>(texts.length);
    for (const item of parsed.data.data) {
      if (item.embedding.length !== options.dimensions) {
        throw new ProviderError(
          `embedding API: model ${options.model} answered ${item.embedding.length} dimensions, ` +
            `EMBEDDING_DIMENSIONS is ${options.dimensions}`,
        );
      }
      vectors[item.index] = Float32Array.from(item.embedding);
    }
    if (vectors.some((v) => v === undefined) || parsed.data.data.length !== texts.length) {
      throw new ProviderError(
        `embedding API: asked for ${texts.length} embeddings, got ${parsed.data.data.length}`,
      );
    }
    return vectors as Float32Array[];
  };
  return {
    model: options.model,
    dimensions: options.dimensions,
    async embed(texts, { signal } = {}) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += options.batchSize) {
        out.push(...(await embedBatch(texts.slice(i, i + options.batchSize), signal)));
      }
      return out;
    },
  };
}
