import { flag } from "@aimo/env";
import { z } from "zod";

export const storageEnvSchema = z.object({
  /** Where attachment bytes go: `local` (a directory) or `s3` (any S3-compatible bucket). */
  ATTACHMENT_STORAGE: z.enum(["local", "s3"]).default("local"),
  ATTACHMENT_LOCAL_PATH: z.string().min(1).default("./data/attachments"),
  ATTACHMENT_S3_BUCKET: z.string().min(1).optional(),
  ATTACHMENT_S3_PREFIX: z.string().max(200).optional(),
  ATTACHMENT_S3_ENDPOINT: z.url().optional(),
  ATTACHMENT_S3_REGION: z.string().min(1).default("us-east-1"),
  ATTACHMENT_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  ATTACHMENT_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  ATTACHMENT_S3_PUBLIC: flag().optional(),
  ATTACHMENT_S3_PUBLIC_URL: z.url().optional(),
  ATTACHMENT_S3_FORCE_PATH_STYLE: flag().optional(),
});

export type StorageEnv = z.infer<typeof storageEnvSchema>;
