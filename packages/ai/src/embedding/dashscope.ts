import { z } from "zod";

import { postJson, ProviderError } from "../http/post-json";
import type { MultimodalEmbedder } from "../types";

export interface DashScopeEmbedderOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  dimensions: number;
  /** Contents per request; DashScope caps a request at a handful of images. */
  batchSize: number;
  timeoutMs: number;
  retries: number;
}

const multimodalResponse = z.object({
  output: z.object({
    embeddings: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
  }),
});

/**
 * DashScope's native multimodal embedding (`qwen3-vl-embedding`, `multimodal-embedding-v1`): text, images
 * (URL or data URI) and videos land in one vector space, so text finds images and images find memos.
 */
export function createDashScopeEmbedder(options: DashScopeEmbedderOptions): MultimodalEmbedder {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/services/embeddings/multimodal-embedding/multimodal-embedding`;
  return {
    model: options.model,
    dimensions: options.dimensions,
    async embed(inputs, { signal } = {}) {
      const out: Float32Array[] = [];
      for (let start = 0; start < inputs.length; start += options.batchSize) {
        const batch = inputs.slice(start, start + options.batchSize);
        const json = await postJson({
          url,
          provider: "DashScope multimodal embedding",
          headers: { authorization: `Bearer ${options.apiKey}` },
          body: {
            model: options.model,
            input: { contents: batch },
            parameters: { dimension: options.dimensions },
          },
          timeoutMs: options.timeoutMs,
          retries: options.retries,
          signal,
        });
        const parsed = multimodalResponse.safeParse(json);
        if (!parsed.success) throw new ProviderError(`DashScope: malformed answer: ${parsed.error.message}`);
        const vectors = new Array<Float32Array | undefined>(batch.length);
        for (const item of parsed.data.output.embeddings) {
          if (item.embedding.length !== options.dimensions) {
            throw new ProviderError(
              `DashScope: model ${options.model} answered ${item.embedding.length} dimensions, ` +
                `MULTIMODAL_EMBEDDING_DIMENSIONS is ${options.dimensions}`,
            );
          }
          vectors[item.index] = Float32Array.from(item.embedding);
        }
        if (vectors.some((v) => v === undefined)) {
          throw new ProviderError(
            `DashScope: asked for ${batch.length} embeddings, got ${parsed.data.output.embeddings.length}`,
          );
        }
        out.push(...(vectors as Float32Array[]));
      }
      return out;
    },
  };
}
