import { resolveWorkspacePath } from "@aimo/env";
import { z } from "zod";

import { DEFAULT_CIRCUIT_COOLDOWN_MS } from "./circuit";

export const vectorsEnvSchema = z.object({
  /** A local directory, `s3://bucket/prefix` or `db://database` (LanceDB Cloud). */
  LANCEDB_URI: z.string().min(1).default("./data/lancedb"),
  LANCEDB_API_KEY: z.string().min(1).optional(),
  LANCEDB_REGION: z.string().min(1).optional(),
  /** JSON object of object-store options for s3:// (aws_access_key_id, aws_endpoint, ...). */
  LANCEDB_STORAGE_OPTIONS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of string values" });
        return z.NEVER;
      }
    }),
  /**
   * Table versions superseded longer ago than this are removed by maintenance. Each write is a version, and every
   * read and write first finds the newest by listing them all: a one-row upsert took 20 ms beside 2,000 versions
   * and 34 ms beside 10,000 (the README's writes bench has what it did to a busy server). The cleanup reads the
   * manifest of every version it keeps: at 6,000 memos written ten a second, a maintenance took 3-5 s keeping two
   * minutes of versions and 1-2 s keeping 15 s. Half a minute still outlasts any one read or commit of ours.
   */
  LANCEDB_VERSION_RETENTION_MINUTES: z.coerce.number().min(0).max(14_400).default(0.5),
  /** Its predecessor, in days: refused rather than ignored, so an operator who set it learns what it became. */
  LANCEDB_VERSION_RETENTION_DAYS: z
    .undefined({
      error:
        "was replaced by LANCEDB_VERSION_RETENTION_MINUTES (versions superseded that many minutes ago go)",
    })
    .optional(),
  /** After a LanceDB failure, how long requests skip it (vectors left to the worker, search degraded). */
  LANCEDB_RETRY_AFTER_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(DEFAULT_CIRCUIT_COOLDOWN_MS),
  /**
   * LanceDB's caches, per process. Its own defaults (6 GB of index, 1 GB of metadata) let every table version
   * and index version a write makes stay cached: RSS grew with every write and never came back.
   */
  LANCEDB_INDEX_CACHE_MB: z.coerce.number().int().min(1).default(256),
  LANCEDB_METADATA_CACHE_MB: z.coerce.number().int().min(1).default(64),
  /** Commits between two full garbage collections that free LanceDB's native memory (native-garbage.ts); 0: none. */
  LANCEDB_COLLECT_EVERY_COMMITS: z.coerce.number().int().min(0).default(500),
});

export type VectorsEnv = z.infer<typeof vectorsEnvSchema>;

export interface VectorStoreConfig {
  uri: string;
  apiKey?: string;
  region?: string;
  storageOptions?: Record<string, string>;
  versionRetentionMinutes: number;
  /** See LANCEDB_RETRY_AFTER_MS; its default when absent, 0 for no circuit (a batch tool with its own retries). */
  circuitCooldownMs?: number;
  /** LanceDB's cache bounds (see the env vars); unset, the env defaults. */
  indexCacheMb?: number;
  metadataCacheMb?: number;
  /** See LANCEDB_COLLECT_EVERY_COMMITS; unset, its default. */
  collectEveryCommits?: number;
  /** The text embedding model and dimensions memo_vectors is (or will be) built with. */
  embeddingModel: string;
  embeddingDimensions: number;
  multimodalModel: string;
  multimodalDimensions: number;
}

export function vectorStoreConfigFromEnv(
  env: VectorsEnv,
  models: Pick<
    VectorStoreConfig,
    "embeddingModel" | "embeddingDimensions" | "multimodalModel" | "multimodalDimensions"
  >,
): VectorStoreConfig {
  return {
    uri: resolveWorkspacePath(env.LANCEDB_URI),
    apiKey: env.LANCEDB_API_KEY,
    region: env.LANCEDB_REGION,
    storageOptions: env.LANCEDB_STORAGE_OPTIONS,
    versionRetentionMinutes: env.LANCEDB_VERSION_RETENTION_MINUTES,
    circuitCooldownMs: env.LANCEDB_RETRY_AFTER_MS,
    indexCacheMb: env.LANCEDB_INDEX_CACHE_MB,
    metadataCacheMb: env.LANCEDB_METADATA_CACHE_MB,
    collectEveryCommits: env.LANCEDB_COLLECT_EVERY_COMMITS,
    ...models,
  };
}
