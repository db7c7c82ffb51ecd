import { users } from "@aimo/db";
import type { ObjectStorage } from "@aimo/storage";
import { asc, gt } from "drizzle-orm";

import type { ExportDeps } from "./export";
import { exportArchive } from "./export";

export interface BackupOptions {
  /** Where backups go, as `<uid>/aimo-export-<time>.zip`. */
  target: ObjectStorage;
  /** How many backups of each user to keep; older ones go once a newer one is written. */
  keep: number;
  /** The occurrence being backed up: it names the files, so a repeat of the same slot overwrites them. */
  slot: Date;
  /** Ends the run with its reason: the zip being written is abandoned (nothing is left of it), no user follows. */
  signal?: AbortSignal;
}

export interface BackupReport {
  /** Users whose backup was written. */
  written: number;
  /** Users whose backup failed, with why; the others were written anyway. */
  failed: { uid: string; error: unknown }[];
}

const USER_PAGE = 100;
const BACKUP_FILE = /^aimo-export-\d{8}T\d{6}Z\.zip$/;

/** `aimo-export-20261201T020000Z.zip`: UTC, sorting by name sorts by time, no `:` for file systems that refuse it. */
export const backupFileName = (slot: Date) =>
  `aimo-export-${slot
    .toISOString()
    .replace(/\.\d{3}/, "")
    .replace(/[-:]/g, "")}.zip`;

async function* userIds(db: ExportDeps["db"]): AsyncGenerator<string> {
  let last: string | undefined;
  for (;;) {
    const page = await db
      .select({ uid: users.uid })
      .from(users)
      .where(last === undefined ? undefined : gt(users.uid, last))
      .orderBy(asc(users.uid))
      .limit(USER_PAGE);
    for (const row of page) yield row.uid;
    if (page.length < USER_PAGE) return;
    last = page[page.length - 1]!.uid;
  }
}

/** One user's export streamed to the target, then their backups beyond `keep` deleted, oldest first. */
async function backUpUser(deps: ExportDeps, options: BackupOptions, uid: string): Promise<void> {
  const archive = exportArchive(deps, uid);
  // The target reads only once ready (a folder made, an upload begun): an export failure or abort before then
  // stays in the stream's state, where the target finds it, instead of being an unhandled 'error' event.
  archive.on("error", () => undefined);
  const abandon = () => archive.destroy(options.signal?.reason as Error);
  options.signal?.addEventListener("abort", abandon, { once: true });
  try {
    await options.target.putStream(`${uid}/${backupFileName(options.slot)}`, archive, {
      contentType: "application/zip",
    });
  } finally {
    options.signal?.removeEventListener("abort", abandon);
  }
  const backups = (await options.target.list(uid)).filter((key) =>
    BACKUP_FILE.test(key.slice(uid.length + 1)),
  );
  for (const old of backups.slice(0, -options.keep)) await options.target.delete(old);
}

/**
 * Every user's data, as `GET /export` gives it, written to the target one user at a time (memory stays flat:
 * each zip streams straight into its file or upload). A user whose backup fails is reported and skipped, and
 * their older backups are kept. An aborted run rejects with the signal's reason.
 */
export async function backUpAllUsers(deps: ExportDeps, options: BackupOptions): Promise<BackupReport> {
  const report: BackupReport = { written: 0, failed: [] };
  for await (const uid of userIds(deps.db)) {
    options.signal?.throwIfAborted();
    try {
      await backUpUser(deps, options, uid);
      report.written++;
    } catch (error) {
      options.signal?.throwIfAborted();
      report.failed.push({ uid, error });
    }
  }
  return report;
}
