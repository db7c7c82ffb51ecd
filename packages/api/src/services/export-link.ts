import { TRPCError } from "@trpc/server";

import type { ApiDeps } from "../context";
import { signDownload, verifyDownload } from "./attachments/signing";

/** What a link signs: the account, apart from attachment ids, so one kind of link never passes for the other. */
const subject = (uid: string) => `export:${uid}`;

/**
 * A link to `GET /export` for someone without a token to send (a browser download): signed like attachment
 * links, valid for ATTACHMENT_URL_TTL seconds.
 */
export function exportLink(ctx: ApiDeps, uid: string): { url: string; expiresAt: number } {
  const { urlSecret, urlTtlSeconds, publicBaseUrl } = ctx.attachments;
  const expires = Math.floor(Date.now() / 1000) + urlTtlSeconds;
  const query = new URLSearchParams({
    user: uid,
    expires: String(expires),
    sig: signDownload(urlSecret, subject(uid), expires),
  });
  return { url: `${publicBaseUrl ?? ""}/export?${query.toString()}`, expiresAt: expires * 1000 };
}

/** The account a signed export link stands for; a tampered or expired link is FORBIDDEN. */
export function resolveExportLink(
  ctx: ApiDeps,
  link: { user: string; expires: string; sig: string },
): string {
  if (!link.user || !verifyDownload(ctx.attachments.urlSecret, subject(link.user), link.expires, link.sig))
    throw new TRPCError({ code: "FORBIDDEN", message: "This link is invalid or has expired" });
  return link.user;
}
