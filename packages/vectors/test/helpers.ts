import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { VectorStoreConfig } from "../src";

export async function tempDir(label: string) {
  const dir = await mkdtemp(join(tmpdir(), `aimo-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function configFor(uri: string, overrides: Partial<VectorStoreConfig> = {}): VectorStoreConfig {
  return {
    uri,
    versionRetentionMinutes: 0,
    embeddingModel: "test-model",
    embeddingDimensions: 8,
    multimodalModel: "test-mm",
    multimodalDimensions: 4,
    ...overrides,
  };
}

/** A deterministic pseudo-random unit vector. */
export function unitVector(seed: number, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions);
  let x = seed * 2654435761;
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + i) >>> 0;
    v[i] = (x / 2 ** 32) * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  for (let i = 0; i < dimensions; i++) v[i]! /= Math.sqrt(norm);
  return v;
}
