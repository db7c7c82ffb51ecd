export type * from "./types";
export { ObjectNotFoundError, StorageUnavailableError } from "./errors";
export { createLocalStorage } from "./local";
export { contentDisposition, createS3Storage } from "./s3";
export type { S3StorageOptions } from "./s3";
export { storageEnvSchema } from "./env";
export { createStorageFromEnv } from "./from-env";
export type { StorageEnv } from "./env";
