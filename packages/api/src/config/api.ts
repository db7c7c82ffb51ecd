import type { LookupAddress } from "node:dns";

import { flag } from "@aimo/env";
import { z } from "zod";

export interface ApiConfig {
  /** HS256 key for access tokens. */
  jwtSecret: Uint8Array;
  /** Access token lifetime in seconds. */
  jwtTtlSeconds: number;
  /** IANA zone for calendar days ("on this day", heatmap, daily picks, push hours). */
  timezone: string;
  push: PushConfig;
  /**
   * How long a request waits for embedding work (a write's vectors, search's query embedding) before it
   * answers without: the memo shows `pending`, search answers `degraded`.
   */
  vectorDeadlineMs: number;
}

export interface PushConfig {
  /** Webhook targets on private, loopback or link-local addresses are refused unless this is set. */
  allowPrivateTargets: boolean;
  meowBaseUrl: string;
  /** Resolves webhook hosts, for the check and the connection alike; the system resolver when absent. */
  resolveHost?: ResolveHost;
}

/** How webhook hosts are resolved: the system resolver unless a test brings its own. */
export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

const DEV_SECRET = "aimo-development-secret-do-not-use-in-production";

export const apiEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** HS256 key for access tokens; required (32+ characters) in production. */
    JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Access token lifetime: seconds, or a number with s, m, h or d. */
    JWT_TTL: z
      .string()
      .regex(/^\d+[smhd]?$/, "a number of seconds, or with a unit s, m, h or d (e.g. 7d)")
      .default("7d"),
    LOCALE_TIMEZONE: z
      .string()
      .default("UTC")
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat("en-US", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "an IANA time zone such as Asia/Shanghai"),
    /** Allow push webhooks to private or loopback addresses (tests, a LAN-only install). */
    PUSH_ALLOW_PRIVATE_TARGETS: flag().default(false),
    MEOW_BASE_URL: z.url().default("https://api.chuckfang.com"),
    /** Milliseconds a request waits for embeddings before answering without them (see ApiConfig). */
    VECTOR_SYNC_DEADLINE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.JWT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "required when NODE_ENV=production" });
    }
  });

export type ApiEnv = z.infer<typeof apiEnvSchema>;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export function apiConfigFromEnv(env: ApiEnv): ApiConfig & { usingDevSecret: boolean } {
  const [, amount, unit] = /^(\d+)([smhd]?)$/.exec(env.JWT_TTL)!;
  return {
    jwtSecret: new TextEncoder().encode(env.JWT_SECRET ?? DEV_SECRET),
    jwtTtlSeconds: Number(amount) * UNIT_SECONDS[(unit || "s") as keyof typeof UNIT_SECONDS],
    timezone: env.LOCALE_TIMEZONE,
    push: { allowPrivateTargets: env.PUSH_ALLOW_PRIVATE_TARGETS, meowBaseUrl: env.MEOW_BASE_URL },
    vectorDeadlineMs: env.VECTOR_SYNC_DEADLINE_MS,
    usingDevSecret: !env.JWT_SECRET,
  };
}
