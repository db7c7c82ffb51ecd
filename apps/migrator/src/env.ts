import { mysqlEnvSchema } from "@aimo/db";
import { vectorsEnvSchema } from "@aimo/vectors";
import { z } from "zod";

export const migratorEnvSchema = z.object({
  ...mysqlEnvSchema.shape,
  ...vectorsEnvSchema.shape,
  /** The legacy LanceDB directory or URI, when --source is not given. */
  LEGACY_LANCEDB_PATH: z.string().min(1).optional(),
  /** Where attachment files are copied (the server's local attachment storage). */
  ATTACHMENT_LOCAL_PATH: z.string().min(1).default("./data/attachments"),
  /** The models the legacy vectors were made with; the new vector tables record them. */
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  MULTIMODAL_EMBEDDING_MODEL: z.string().min(1).default("qwen3-vl-embedding"),
});

export type MigratorEnv = z.infer<typeof migratorEnvSchema>;
