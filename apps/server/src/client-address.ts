import type http from "node:http";

import proxyaddr from "proxy-addr";

/** Whether the peer at `hop` (0: the socket's) may say who the client is in X-Forwarded-For. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY: unset trusts no proxy (the socket's address is the client); a number trusts that many hops
 * in front of the server; otherwise a comma-separated list of addresses and CIDRs (and proxy-addr's names
 * loopback, linklocal, uniquelocal). Throws on anything else.
 */
export function parseTrustProxy(setting: string): TrustProxy {
  const value = setting.trim();
  if (value === "" || value === "false") return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(value.split(",").map((entry) => entry.trim()));
}

/**
 * The client's address: X-Forwarded-For is read from the right only as far as the proxies are trusted. Without
 * that header proxy-addr answers the socket's address, which is read here directly: every request asks.
 */
export function clientAddress(req: http.IncomingMessage, trust: TrustProxy): string {
  if (!req.headers["x-forwarded-for"]) return req.socket.remoteAddress || "unknown";
  return proxyaddr(req, trust) || "unknown";
}
