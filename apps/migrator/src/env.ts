import { embeddingEnvSchema, multimodalEnvSchema } from "@aimo/ai";
import { mysqlEnvSchema } from "@aimo/db";
import { parseEnv } from "@aimo/env";
// The schema alone: the main entry loads the S3 client, 1.5 s of every migrator start.
import { storageEnvSchema } from "@aimo/storage/env";
import { vectorsEnvSchema } from "@aimo/vectors";
import { z } from "zod";

export const migratorEnvSchema = z.object({
  ...mysqlEnvSchema.shape,
  ...vectorsEnvSchema.shape,
  // The models the legacy vectors were made with (the new vector tables record them); the dimensions count
  // only when the source has no vectors to read them from.
  ...embeddingEnvSchema.pick({ OPENAI_EMBEDDING_MODEL: true, EMBEDDING_DIMENSIONS: true }).shape,
  ...multimodalEnvSchema.pick({ MULTIMODAL_EMBEDDING_MODEL: true, MULTIMODAL_EMBEDDING_DIMENSIONS: true })
    .shape,
  // Where attachment files are copied: the server's local attachment storage.
  ...storageEnvSchema.pick({ ATTACHMENT_LOCAL_PATH: true }).shape,
  /** The legacy LanceDB directory or URI, when --source is not given. */
  LEGACY_LANCEDB_PATH: z.string().min(1).optional(),
});

export type MigratorEnv = z.infer<typeof migratorEnvSchema>;

/** Parses the environment; every bad variable is named in the error. */
export function parseMigratorEnv(env: NodeJS.ProcessEnv = process.env): MigratorEnv {
  return parseEnv(migratorEnvSchema, env);
}
