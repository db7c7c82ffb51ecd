import { chatEnvSchema, embeddingEnvSchema, multimodalEnvSchema } from "@aimo/ai";
import { apiEnvSchema, attachmentEnvSchema } from "@aimo/api/server";
import { mysqlEnvSchema } from "@aimo/db";
import { byteSize, flag, parseEnv } from "@aimo/env";
import { storageEnvSchema } from "@aimo/storage";
import { transferEnvSchema } from "@aimo/transfer";
import { vectorsEnvSchema } from "@aimo/vectors";
import { Cron } from "croner";
import { z } from "zod";

import { parseTrustProxy } from "./client-address";
import { corsOriginsSchema } from "./cors";

/** A cron pattern (five fields, or six with seconds), checked by croner. */
const cronPattern = z.string().refine((pattern) => {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, "a cron pattern such as 0 2 * * *");

/** Extends the API's schema (not its shape) to keep its refinements, such as JWT_SECRET in production. */
const serverEnvFields = apiEnvSchema.safeExtend({
  ...mysqlEnvSchema.shape,
  ...vectorsEnvSchema.shape,
  ...embeddingEnvSchema.shape,
  ...multimodalEnvSchema.shape,
  ...chatEnvSchema.shape,
  ...storageEnvSchema.shape,
  ...attachmentEnvSchema.shape,
  ...transferEnvSchema.shape,
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Which proxies in front may name the client in X-Forwarded-For (login throttling keys on the client). */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((setting, ctx) => {
      try {
        return parseTrustProxy(setting);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: "a hop count (e.g. 1), or IP addresses and CIDRs separated by commas (e.g. 10.0.0.0/8)",
        });
        return z.NEVER;
      }
    }),
  /** Origins of web apps that may call the API from a browser (CORS); empty = the server's own origin only. */
  CORS_ORIGINS: corsOriginsSchema,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest tRPC request body: above the 1 MB memo even when JSON escaping doubles it. */
  MAX_REQUEST_BODY: byteSize("4MB"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** When LanceDB maintenance runs (cron in LOCALE_TIMEZONE): compaction, old versions, indexes. */
  DB_OPTIMIZATION_CRON: cronPattern.default("0 2 * * *"),
  /**
   * When due push rules are looked for (cron in LOCALE_TIMEZONE); a rule is sent once per hour whatever this is.
   * Every 5 minutes, so a slot that failed or whose process died is finished within its hour.
   */
  PUSH_RULES_CRON: cronPattern.default("*/5 * * * *"),
  /** When every user's export zip is written to BACKUP_TARGET (cron in LOCALE_TIMEZONE); unset = no backups. */
  BACKUP_CRON: cronPattern.optional(),
  /** A folder (relative to the repository root), or `s3`: the attachment bucket under `<prefix>/backups/`. */
  BACKUP_TARGET: z.string().min(1).default("./data/backups"),
  /** How many backups of each user are kept; older ones are deleted once a newer one is written. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  /** Run scheduled work (push rules, maintenance, backups, vector worker) in this process. */
  SCHEDULER_ENABLED: flag().default(true),
  /** Answer GET queries on node:http directly (src/trpc/); false leaves every tRPC request to tRPC's adapter. */
  TRPC_FAST_PATH: flag().default(true),
  /** The built web app served at `/` (relative to the repository root); nothing is served when it is absent. */
  WEB_APP_DIR: z.string().min(1).default("./apps/web/dist"),
  /** How often the background worker looks for pending vector work. */
  VECTOR_WORKER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
});

export const serverEnvSchema = serverEnvFields.superRefine((env, ctx) => {
  if (!env.BACKUP_CRON || env.BACKUP_TARGET !== "s3") return;
  if (!env.ATTACHMENT_S3_BUCKET)
    ctx.addIssue({ code: "custom", path: ["BACKUP_TARGET"], message: "s3 needs ATTACHMENT_S3_BUCKET" });
  // A public bucket's objects are readable by anyone who guesses a key: every user's data would be.
  if (env.ATTACHMENT_S3_PUBLIC)
    ctx.addIssue({
      code: "custom",
      path: ["BACKUP_TARGET"],
      message: "s3 needs a private bucket (ATTACHMENT_S3_PUBLIC=false)",
    });
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Parses the environment; every bad or missing variable is named in the error. */
export function parseServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnv(serverEnvSchema, env);
}
