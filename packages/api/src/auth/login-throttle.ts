import type { DbHandle } from "@aimo/db";
import { loginLimits } from "@aimo/db";
import { getTableName } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import ipaddr from "ipaddr.js";
import { RateLimiterMySQL, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Slows down password guessing with counters in MySQL, shared by every server process. Only failures count,
 * and they count per (account, client) and per client, never per account alone: a stranger's wrong passwords
 * lock the stranger out, not the owner logging in from their own client.
 */
export interface LoginThrottle {
  /**
   * Counts a login attempt before its password is checked, so concurrent or batched guesses are counted
   * too; throws TOO_MANY_REQUESTS over a limit. A right password then calls `succeeded`, which gives the
   * attempt back.
   */
  reserve(account: string, client: string): Promise<{ succeeded(): Promise<void> }>;
}

/** 5 failures in an hour for one account from one client, then that pair waits 15 minutes. */
const ACCOUNT_CLIENT_LIMIT = { keyPrefix: "account_client", points: 5, duration: 3600, blockDuration: 900 };
/** 100 failures a day from one client, whatever the accounts, then that client waits a day. */
const CLIENT_LIMIT = { keyPrefix: "client", points: 100, duration: 86_400, blockDuration: 86_400 };

/**
 * One key per client: an IPv4 address (also when IPv4-mapped), an IPv6 /64 (what one host or site is given,
 * so rotating addresses within it neither escapes the limit nor grows the store), or the label as given.
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(":")}::/64`;
}

function tooMany(rejection: unknown): never {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
  throw new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: `Too many failed logins; try again in ${Math.ceil(rejection.msBeforeNext / 1000)} s`,
  });
}

export function createLoginThrottle(db: Pick<DbHandle, "pool" | "config">): LoginThrottle {
  const store = {
    // The callback pool under mysql2/promise's: the limiter speaks the callback API.
    storeClient: db.pool.pool,
    storeType: "pool",
    dbName: db.config.database,
    tableName: getTableName(loginLimits),
    // The table is created by the schema's migrations.
    tableCreated: true,
  };
  const perAccountClient = new RateLimiterMySQL({ ...store, ...ACCOUNT_CLIENT_LIMIT });
  const perClient = new RateLimiterMySQL({ ...store, ...CLIENT_LIMIT });
  return {
    async reserve(account, client) {
      const clientId = clientKey(client);
      const pair = JSON.stringify([account, clientId]);
      // The client first: a blocked client adds no row for each account it tries.
      await perClient.consume(clientId).catch(tooMany);
      await perAccountClient.consume(pair).catch(tooMany);
      return {
        async succeeded() {
          await Promise.all([perAccountClient.delete(pair), perClient.reward(clientId)]);
        },
      };
    },
  };
}
