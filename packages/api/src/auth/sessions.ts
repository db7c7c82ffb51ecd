import type { Database } from "@aimo/db";
import { ACTIVE_USER_STATUS, users, withTransaction } from "@aimo/db";
import { eq, sql } from "drizzle-orm";

/**
 * How long a process trusts what it read of an account's token version. A bump in this process takes effect
 * at once; one made by another server process reaches this one within this time.
 */
export const TOKEN_VERSION_TTL_MS = 5_000;
const MAX_CACHED_ACCOUNTS = 10_000;

interface AccountSessions {
  /** Null when the account is deleted or disabled: none of its tokens is valid. */
  tokenVersion: number | null;
  readAt: number;
}

interface Cache {
  accounts: Map<string, AccountSessions>;
  /** Counts bumps, so a read that raced one does not cache what it read before the bump. */
  bumps: number;
}

/** Per database, like the pool: tests open several in one process. */
const caches = new WeakMap<Database, Cache>();

function cacheOf(db: Database): Cache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { accounts: new Map(), bumps: 0 }));
  return cache;
}

/**
 * The token version an access token of `uid` must carry, or null when the account is gone or disabled.
 * Read from MySQL at most once per account per TOKEN_VERSION_TTL_MS, so a busy client adds no query.
 */
export async function currentTokenVersion(
  db: Database,
  uid: string,
  now = Date.now(),
): Promise<number | null> {
  const cache = cacheOf(db);
  const hit = cache.accounts.get(uid);
  if (hit && now - hit.readAt < TOKEN_VERSION_TTL_MS) return hit.tokenVersion;
  const bumps = cache.bumps;
  const [row] = await db
    .select({ tokenVersion: users.tokenVersion, status: users.status })
    .from(users)
    .where(eq(users.uid, uid))
    .limit(1);
  const tokenVersion = row?.status === ACTIVE_USER_STATUS ? row.tokenVersion : null;
  if (cache.bumps === bumps) {
    cache.accounts.delete(uid);
    if (cache.accounts.size >= MAX_CACHED_ACCOUNTS)
      cache.accounts.delete(cache.accounts.keys().next().value!);
    cache.accounts.set(uid, { tokenVersion, readAt: now });
  }
  return tokenVersion;
}

/**
 * Ends every session of an account (with `changes` to its row in the same write) and returns the new token
 * version, for the caller's fresh session when it gets one.
 */
export async function endSessions(
  db: Database,
  uid: string,
  changes: Partial<Pick<typeof users.$inferInsert, "passwordHash">> = {},
): Promise<number> {
  const tokenVersion = await withTransaction(db, async (tx) => {
    await tx
      .update(users)
      .set({ ...changes, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.uid, uid));
    const [row] = await tx.select({ tokenVersion: users.tokenVersion }).from(users).where(eq(users.uid, uid));
    return row!.tokenVersion;
  });
  const cache = cacheOf(db);
  cache.bumps++;
  cache.accounts.delete(uid);
  return tokenVersion;
}
