import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

import { badRequest } from "../../errors";

/** Loopback, private, link-local, carrier-grade NAT and unspecified ranges: never a push target by default. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["::ffff:0:0", 96],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

/**
 * Refuses a webhook URL whose host is, or resolves to, a private address, so a push rule cannot be used to
 * reach the server's own network. Checked when a rule is saved and again right before each delivery.
 */
export async function assertPublicTarget(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    throw badRequest(`The webhook host ${host} does not resolve`);
  }
  for (const { address, family } of addresses) {
    if (PRIVATE.check(address, family === 6 ? "ipv6" : "ipv4")) {
      throw badRequest(`The webhook host ${host} is a private or loopback address`);
    }
  }
}
