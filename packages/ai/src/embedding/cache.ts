import { createHash } from "node:crypto";

import type { Embedder, MultimodalEmbedder, MultimodalInput } from "../types";

export interface CachedVector {
  modelHash: string;
  contentHash: string;
  modalityType?: string;
  vector: Float32Array;
}

/** Where embeddings are cached (LanceDB's embedding caches satisfy it). */
export interface EmbeddingCacheStore {
  getMany(
    modelHash: string,
    contentHashes: string[],
    modalityType?: string,
  ): Promise<Map<string, Float32Array>>;
  putMany(entries: CachedVector[]): Promise<unknown>;
}

export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The legacy AIMO's keys: sha256("<model>:<dimensions>") and sha256(text), so migrated caches are hits. */
export const textModelHash = (model: string, dimensions: number) => sha256Hex(`${model}:${dimensions}`);

async function throughCache<T>(
  inputs: T[],
  keyOf: (input: T) => string,
  lookup: (hashes: string[]) => Promise<Map<string, Float32Array>>,
  compute: (misses: T[]) => Promise<Float32Array[]>,
  store: (entries: { contentHash: string; vector: Float32Array }[]) => Promise<unknown>,
): Promise<Float32Array[]> {
  const hashes = inputs.map(keyOf);
  const found = await lookup([...new Set(hashes)]);
  const missing = new Map<string, T>();
  hashes.forEach((hash, i) => {
    if (!found.has(hash)) missing.set(hash, inputs[i]!);
  });
  if (missing.size > 0) {
    const vectors = await compute([...missing.values()]);
    const fresh = [...missing.keys()].map((contentHash, i) => ({ contentHash, vector: vectors[i]! }));
    for (const { contentHash, vector } of fresh) found.set(contentHash, vector);
    // A failed cache write costs a later recomputation, never this answer.
    await store(fresh).catch(() => undefined);
  }
  return hashes.map((hash) => found.get(hash)!);
}

/** One batched lookup, one call for the misses, one batched insert: the same text is never embedded twice. */
export function withEmbeddingCache(embedder: Embedder, cache: EmbeddingCacheStore): Embedder {
  const modelHash = textModelHash(embedder.model, embedder.dimensions);
  return {
    model: embedder.model,
    dimensions: embedder.dimensions,
    embed: (texts, options) =>
      throughCache(
        texts,
        sha256Hex,
        (hashes) => cache.getMany(modelHash, hashes),
        (misses) => embedder.embed(misses, options),
        (entries) => cache.putMany(entries.map((e) => ({ modelHash, ...e }))),
      ),
  };
}

export const modalityOf = (input: MultimodalInput) =>
  "text" in input ? "text" : "image" in input ? "image" : "video";

/** The multimodal cache: keyed by model config hash, content hash and modality, as the legacy app did. */
export function withMultimodalCache(
  embedder: MultimodalEmbedder,
  cache: EmbeddingCacheStore,
  modelConfig: Record<string, unknown>,
): MultimodalEmbedder {
  const modelHash = sha256Hex(JSON.stringify(modelConfig));
  const keyOf = (input: MultimodalInput) => `${modalityOf(input)}:${sha256Hex(JSON.stringify(input))}`;
  return {
    model: embedder.model,
    dimensions: embedder.dimensions,
    async embed(inputs, options) {
      // Lookups are per modality; the key above carries it so one call can mix kinds.
      return throughCache(
        inputs,
        keyOf,
        async (keys) => {
          const found = new Map<string, Float32Array>();
          const byModality = new Map<string, string[]>();
          for (const key of keys) {
            const [modality, hash] = key.split(":") as [string, string];
            byModality.set(modality, [...(byModality.get(modality) ?? []), hash]);
          }
          for (const [modality, hashes] of byModality) {
            for (const [hash, vector] of await cache.getMany(modelHash, hashes, modality)) {
              found.set(`${modality}:${hash}`, vector);
            }
          }
          return found;
        },
        (misses) => embedder.embed(misses, options),
        (entries) =>
          cache.putMany(
            entries.map(({ contentHash: key, vector }) => {
              const [modalityType, contentHash] = key.split(":") as [string, string];
              return { modelHash, contentHash, modalityType, vector };
            }),
          ),
      );
    },
  };
}
