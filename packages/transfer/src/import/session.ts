import { createHash } from "node:crypto";

import type { Database, ImportSkip } from "@aimo/db";
import { createId, importItems, importSessions, nowPlus } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { and, eq, lt, ne, or, sql } from "drizzle-orm";

import type { ImportFormat } from "./plan";

/** How long a running import holds its session before another run may take it over (a crashed process). */
const LEASE_MS = 10 * 60_000;

/** Item keys fit the key column; a longer one (a deep file path) is stored as its hash. */
export const storedKey = (key: string) =>
  key.length <= 150 ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;

export interface ImportSession {
  id: string;
  /** Keys finished by an earlier run of the same file, with the id each got. */
  done: Map<string, string | null>;
  resumed: boolean;
}

/**
 * Opens (or resumes) the session of this user and file. A session another run holds answers CONFLICT; one
 * that finished, failed or whose run died is taken over, keeping what it finished.
 */
export async function beginSession(
  db: Database,
  uid: string,
  contentHash: string,
  format: ImportFormat,
  total: number,
): Promise<ImportSession> {
  const id = createId("importSession");
  const [inserted] = await db
    .insert(importSessions)
    .ignore()
    .values({
      id,
      uid,
      contentHash,
      format,
      status: "running",
      total,
      skipped: [],
      leaseUntil: nowPlus(LEASE_MS),
    });
  const [row] = await db
    .select({ id: importSessions.id })
    .from(importSessions)
    .where(and(eq(importSessions.uid, uid), eq(importSessions.contentHash, contentHash)));
  if (inserted.affectedRows === 0) {
    const [claimed] = await db
      .update(importSessions)
      .set({ status: "running", format, total, leaseUntil: nowPlus(LEASE_MS) })
      .where(
        and(
          eq(importSessions.id, row!.id),
          or(ne(importSessions.status, "running"), lt(importSessions.leaseUntil, sql`NOW(3)`)),
        ),
      );
    if (claimed.affectedRows === 0)
      throw new TRPCError({ code: "CONFLICT", message: "This file is being imported right now" });
  }
  const items = await db
    .select({ key: importItems.itemKey, targetId: importItems.targetId })
    .from(importItems)
    .where(eq(importItems.sessionId, row!.id));
  return {
    id: row!.id,
    done: new Map(items.map((item) => [item.key, item.targetId])),
    resumed: inserted.affectedRows === 0,
  };
}

export async function recordProgress(db: Database, sessionId: string, done: number, skipped: ImportSkip[]) {
  await db
    .update(importSessions)
    .set({ done, skipped, leaseUntil: nowPlus(LEASE_MS) })
    .where(eq(importSessions.id, sessionId));
}

export async function endSession(
  db: Database,
  sessionId: string,
  status: "done" | "failed",
  done: number,
  skipped: ImportSkip[],
) {
  await db
    .update(importSessions)
    .set({ status, done, skipped, leaseUntil: null })
    .where(eq(importSessions.id, sessionId));
}

/** `sha256:<hex>` names a session by its file: a sender knows that key before the import answers with the id. */
const BY_CONTENT_HASH = /^sha256:([0-9a-f]{64})$/;

/** A user's session by id or by `sha256:<hex>` of its file, for progress; another user's is not found. */
export async function readSession(db: Database, uid: string, key: string) {
  const contentHash = BY_CONTENT_HASH.exec(key)?.[1];
  const [row] = await db
    .select()
    .from(importSessions)
    .where(
      and(
        contentHash ? eq(importSessions.contentHash, contentHash) : eq(importSessions.id, key),
        eq(importSessions.uid, uid),
      ),
    );
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Import not found" });
  return {
    id: row.id,
    format: row.format,
    status: row.status,
    total: row.total,
    done: row.done,
    skipped: row.skipped,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}
