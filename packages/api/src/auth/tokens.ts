import { createHash, randomBytes } from "node:crypto";

import { jwtVerify, SignJWT } from "jose";

import type { ApiConfig } from "../config/api";

const ISSUER = "aimo";

/** What an access token says: whose it is, and the account's token version when it was signed. */
export interface AccessClaims {
  uid: string;
  tokenVersion: number;
}

export async function signAccessToken(
  config: ApiConfig,
  { uid, tokenVersion }: AccessClaims,
): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + config.jwtTtlSeconds;
  const token = await new SignJWT({ ver: tokenVersion })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(uid)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(config.jwtSecret);
  return { token, expiresAt: expiresAt * 1000 };
}

/** Verified tokens per configuration, so a busy client's signature is checked once, not on every request. */
const verified = new WeakMap<ApiConfig, Map<string, AccessClaims & { expiresAt: number }>>();
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * The claims of a valid, unexpired access token; null for anything else. Whether its version is still the
 * account's is the caller's check (see sessions.ts).
 */
export async function verifyAccessToken(config: ApiConfig, token: string): Promise<AccessClaims | null> {
  let cache = verified.get(config);
  if (!cache) verified.set(config, (cache = new Map<string, AccessClaims & { expiresAt: number }>()));
  const hit = cache.get(token);
  if (hit && hit.expiresAt > Date.now()) return hit;
  try {
    const { payload } = await jwtVerify(token, config.jwtSecret, { issuer: ISSUER, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return null;
    // Tokens signed before versions existed carry none: they are version 0 until the first bump.
    const tokenVersion = payload.ver ?? 0;
    if (!Number.isSafeInteger(tokenVersion)) return null;
    const claims = { uid: payload.sub, tokenVersion: tokenVersion as number, expiresAt: payload.exp * 1000 };
    if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(token, claims);
    return claims;
  } catch {
    return null;
  }
}

/** Personal API tokens are recognisable by their prefix, so they never reach the JWT verifier. */
export const PERSONAL_TOKEN_PREFIX = "aimo_pat_";

export function generatePersonalToken(): { token: string; hash: string; prefix: string } {
  const token = PERSONAL_TOKEN_PREFIX + randomBytes(24).toString("base64url");
  return { token, hash: hashPersonalToken(token), prefix: token.slice(0, PERSONAL_TOKEN_PREFIX.length + 4) };
}

/** Tokens carry 192 random bits, so a fast hash is enough (no salt or KDF needed). */
export function hashPersonalToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
