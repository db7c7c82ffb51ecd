import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";

import ipaddr from "ipaddr.js";
import { Agent, buildConnector } from "undici";

import type { PushConfig, ResolveHost } from "../../config/api";
import { badRequest } from "../../errors";

const systemResolver: ResolveHost = (host) => lookup(host, { all: true });

/**
 * The IPv4 address an IPv6 one reaches, when it embeds one in its last 32 bits: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and IPv4-compatible (::a.b.c.d, with :: and ::1).
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = ip.range();
  const compatible = ip.parts.slice(0, 6).every((part) => part === 0);
  if (!compatible && range !== "ipv4Mapped" && range !== "rfc6145" && range !== "rfc6052") return null;
  return ipaddr.fromByteArray(ip.toByteArray().slice(12)) as ipaddr.IPv4;
}

/**
 * Only global unicast addresses are push targets: loopback, private, link-local, carrier-grade NAT, reserved,
 * multicast and the like are not, nor an IPv6 address that embeds one of them.
 */
export function isPublicAddress(address: string): boolean {
  if (!isIP(address)) return false;
  const ip = ipaddr.parse(address);
  const reached = ip.kind() === "ipv6" ? (embeddedIPv4(ip as ipaddr.IPv6) ?? ip) : ip;
  return reached.range() === "unicast";
}

/** One answer whether the host is private, unknown or unreachable, so the guard reveals no internal names. */
const refused = (host: string) => badRequest(`The webhook host ${host} is not a public address`);

/** The addresses of a webhook host, each one public unless private targets are allowed. */
async function checkedAddresses(host: string, push: PushConfig): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await (push.resolveHost ?? systemResolver)(host);
  } catch {
    throw refused(host);
  }
  const allowed = push.allowPrivateTargets || addresses.every((a) => isPublicAddress(a.address));
  if (addresses.length === 0 || !allowed) throw refused(host);
  return addresses;
}

const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, "");

/**
 * Refuses a webhook URL whose host is, or resolves to, a non-public address, when a rule is saved (each
 * delivery is checked again by its agent).
 */
export async function assertPublicTarget(url: string, push: PushConfig): Promise<void> {
  if (!push.allowPrivateTargets) await checkedAddresses(hostOf(url), push);
}

/**
 * An HTTP agent that connects only to addresses it has just checked: the name is resolved once, by the
 * socket's lookup, and the guard judges that very answer, so DNS cannot answer one address to the check and
 * another to the connection. IP literals never reach a lookup, so the connector checks them itself.
 * One agent per delivery, closed after it: pushes are rare and keep no pool.
 */
export function guardedAgent(push: PushConfig): Agent {
  const lookupChecked: LookupFunction = (hostname, options, callback) => {
    checkedAddresses(hostname, push).then(
      (addresses) => {
        const family = { IPv4: 4, IPv6: 6 }[String(options.family)] ?? options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const [first] = usable;
        if (!first) return callback(refused(hostname), "", 0);
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, "", 0),
    );
  };
  const connect = buildConnector({ lookup: lookupChecked });
  return new Agent({
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, "");
      if (!isIP(host)) return connect(options, callback);
      checkedAddresses(host, push).then(
        () => connect(options, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
}
