import { createHash, randomBytes } from "node:crypto";

import { jwtVerify, SignJWT } from "jose";

import type { ApiConfig } from "../context";

const ISSUER = "aimo";

export async function signAccessToken(
  config: ApiConfig,
  uid: string,
): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + config.jwtTtlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(uid)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(config.jwtSecret);
  return { token, expiresAt: expiresAt * 1000 };
}

/** Verified tokens per configuration, so a busy client's signature is checked once, not on every request. */
const verified = new WeakMap<ApiConfig, Map<string, { uid: string; expiresAt: number }>>();
const VERIFIED_CACHE_SIZE = 10_000;

/** The uid of a valid, unexpired access token; null for anything else. */
export async function verifyAccessToken(config: ApiConfig, token: string): Promise<string | null> {
  let cache = verified.get(config);
  if (!cache) verified.set(config, (cache = new Map<string, { uid: string; expiresAt: number }>()));
  const hit = cache.get(token);
  if (hit && hit.expiresAt > Date.now()) return hit.uid;
  try {
    const { payload } = await jwtVerify(token, config.jwtSecret, { issuer: ISSUER, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return null;
    if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(token, { uid: payload.sub, expiresAt: payload.exp * 1000 });
    return payload.sub;
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
