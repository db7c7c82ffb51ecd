import { resolveWorkspacePath } from "@aimo/env";
import type { ObjectStorage } from "@aimo/storage";
import { createLocalStorage, createStorageFromEnv } from "@aimo/storage";

import type { ServerEnv } from "../env";

/**
 * Where BACKUP_TARGET says backups go: a folder (relative to the repository root, like ATTACHMENT_LOCAL_PATH),
 * or `s3`, the attachment bucket under `<ATTACHMENT_S3_PREFIX>/backups/`, beside the attachments' `<uid>/` keys.
 */
export function createBackupTarget(env: ServerEnv): ObjectStorage {
  if (env.BACKUP_TARGET !== "s3") return createLocalStorage(resolveWorkspacePath(env.BACKUP_TARGET));
  const prefix = env.ATTACHMENT_S3_PREFIX?.replace(/^\/+|\/+$/g, "");
  return createStorageFromEnv({
    ...env,
    ATTACHMENT_STORAGE: "s3",
    ATTACHMENT_S3_PREFIX: prefix ? `${prefix}/backups` : "backups",
  });
}
