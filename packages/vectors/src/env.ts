import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

import { z } from "zod";

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
      if (!text) return undefined;
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of string values" });
        return z.NEVER;
      }
    }),
  LANCEDB_VERSION_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(7),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(2).max(8192).default(1536),
  MULTIMODAL_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(2).max(8192).default(1024),
});

export type VectorsEnv = z.infer<typeof vectorsEnvSchema>;

export interface VectorStoreConfig {
  uri: string;
  apiKey?: string;
  region?: string;
  storageOptions?: Record<string, string>;
  versionRetentionDays: number;
  /** The text embedding model and dimensions memo_vectors is (or will be) built with. */
  embeddingModel: string;
  embeddingDimensions: number;
  multimodalModel: string;
  multimodalDimensions: number;
}

/**
 * Relative local paths are relative to the repository root (the folder with pnpm-workspace.yaml), because
 * `pnpm start` and `pnpm migrate:data` run each app's script in its own folder: server and migrator must
 * agree on where `./data/lancedb` is. URIs (s3://, db://) are returned unchanged.
 */
export function resolveWorkspacePath(path: string, from = process.cwd()): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || isAbsolute(path)) return path;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return resolve(dir, path);
    if (dirname(dir) === dir) return resolve(from, path);
  }
}

export function vectorStoreConfigFromEnv(
  env: VectorsEnv,
  models: { embeddingModel: string; multimodalModel: string },
): VectorStoreConfig {
  return {
    uri: resolveWorkspacePath(env.LANCEDB_URI),
    apiKey: env.LANCEDB_API_KEY,
    region: env.LANCEDB_REGION,
    storageOptions: env.LANCEDB_STORAGE_OPTIONS,
    versionRetentionDays: env.LANCEDB_VERSION_RETENTION_DAYS,
    embeddingModel: models.embeddingModel,
    embeddingDimensions: env.EMBEDDING_DIMENSIONS,
    multimodalModel: models.multimodalModel,
    multimodalDimensions: env.MULTIMODAL_EMBEDDING_DIMENSIONS,
  };
}
