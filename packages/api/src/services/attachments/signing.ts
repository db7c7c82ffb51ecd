import { createHmac, timingSafeEqual } from "node:crypto";

/** Signature of a download link: HMAC-SHA256 over the attachment id and the expiry (epoch seconds). */
export function signDownload(secret: Uint8Array, id: string, expires: number): string {
  return createHmac("sha256", secret).update(`${id}\n${expires}`).digest("base64url");
}

/** True when the link is unexpired and signed with our key; compares in constant time. */
export function verifyDownload(
  secret: Uint8Array,
  id: string,
  expires: string,
  sig: string,
  nowMs = Date.now(),
): boolean {
  if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= nowMs) return false;
  const expected = Buffer.from(signDownload(secret, id, Number(expires)));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
