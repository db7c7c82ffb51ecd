import type { StorageEnv } from "./env";
import { failingAsUnavailable } from "./errors";
import { createLocalStorage } from "./local";
import { createS3Storage } from "./s3";
import type { ObjectStorage } from "./types";

/**
 * The configured attachment storage, its failures reported as StorageUnavailableError; names the missing
 * variable when S3 is half configured.
 */
export function createStorageFromEnv(env: StorageEnv): ObjectStorage {
  return failingAsUnavailable(configuredStorage(env));
}

function configuredStorage(env: StorageEnv): ObjectStorage {
  if (env.ATTACHMENT_STORAGE === "local") return createLocalStorage(env.ATTACHMENT_LOCAL_PATH);
  if (!env.ATTACHMENT_S3_BUCKET) throw new Error("ATTACHMENT_S3_BUCKET: required when ATTACHMENT_STORAGE=s3");
  if (Boolean(env.ATTACHMENT_S3_ACCESS_KEY_ID) !== Boolean(env.ATTACHMENT_S3_SECRET_ACCESS_KEY)) {
    throw new Error("ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY: set both or neither");
  }
  return createS3Storage({
    bucket: env.ATTACHMENT_S3_BUCKET,
    prefix: env.ATTACHMENT_S3_PREFIX,
    endpoint: env.ATTACHMENT_S3_ENDPOINT,
    region: env.ATTACHMENT_S3_REGION,
    credentials:
      env.ATTACHMENT_S3_ACCESS_KEY_ID && env.ATTACHMENT_S3_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.ATTACHMENT_S3_ACCESS_KEY_ID,
            secretAccessKey: env.ATTACHMENT_S3_SECRET_ACCESS_KEY,
          }
        : undefined,
    forcePathStyle: env.ATTACHMENT_S3_FORCE_PATH_STYLE ?? Boolean(env.ATTACHMENT_S3_ENDPOINT),
    isPublic: env.ATTACHMENT_S3_PUBLIC ?? false,
    publicUrl: env.ATTACHMENT_S3_PUBLIC_URL,
  });
}
