import type { Database } from "@aimo/db";
import { ACTIVE_USER_STATUS, apiTokens, users } from "@aimo/db";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";

import type { ApiConfig } from "../config/api";
import { currentTokenVersion } from "./sessions";
import { hashPersonalToken, PERSONAL_TOKEN_PREFIX, verifyAccessToken } from "./tokens";

/** The caller, once a bearer token has been verified. */
export interface AuthUser {
  uid: string;
}

/** `last_used_at` is refreshed at most this often, so a busy script does not write on every call. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The user behind an `Authorization: Bearer …` header: an access token (JWT) or a personal API token.
 * Null when absent, invalid, revoked, or of a deleted or disabled account; protected procedures then answer
 * UNAUTHORIZED.
 */
export async function resolveUser(
  db: Database,
  config: ApiConfig,
  authorization: string | undefined,
): Promise<AuthUser | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const token = match?.[1];
  if (!token) return null;
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX)) {
    const claims = await verifyAccessToken(config, token);
    if (!claims) return null;
    return (await currentTokenVersion(db, claims.uid)) === claims.tokenVersion ? { uid: claims.uid } : null;
  }
  const tokenHash = hashPersonalToken(token);
  const [row] = await db
    .select({ id: apiTokens.id, uid: apiTokens.uid, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.uid, apiTokens.uid), eq(users.status, ACTIVE_USER_STATUS)))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`NOW(3)`)),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(apiTokens.lastUsedAt, new Date(Date.now() - LAST_USED_GRANULARITY_MS)),
          ),
        ),
      );
  }
  return { uid: row.uid };
}
