import type http from "node:http";

import cors from "cors";
import { z } from "zod";

/** Which origins may call the API from a browser: `*` (any, without credentials) or a list; empty = same-origin only. */
export type CorsOrigins = "*" | string[];

/** `CORS_ORIGINS`: `*`, or origins (scheme, host and port, no path) separated by commas. */
export const corsOriginsSchema = z
  .string()
  .default("")
  .transform((setting, ctx): CorsOrigins => {
    const entries = setting
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 1 && entries[0] === "*") return "*";
    const bad = entries.filter((entry) => URL.parse(entry)?.origin !== entry);
    if (bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `origins such as https://app.example.com (scheme and host, no path or trailing slash), or *; not ${bad.join(", ")}`,
      });
      return z.NEVER;
    }
    return entries;
  });

/** What the typed client and the upload helpers send (tRPC's own headers, the bearer token, a request id, a range). */
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "trpc-accept",
  "x-trpc-source",
  "x-request-id",
  "range",
];
/** What a page may read of an answer beyond the safelisted headers (downloads, request ids for bug reports). */
const EXPOSED_HEADERS = ["x-request-id", "content-disposition", "content-range", "accept-ranges"];
/** Browsers cache a preflight at most this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 600;

/** The `cors` package's handler for these origins and preflight methods. */
export function corsPackageHandler(origins: CorsOrigins, methods: readonly string[]) {
  return cors({
    origin: origins,
    credentials: origins !== "*",
    methods: [...methods],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}

/**
 * The `cors` package as a node:http step: answers preflights (204) itself and sets the response headers of
 * every other request before `next` answers it; preflights allow `methods` (REST uses more than tRPC). An origin
 * off the list gets no `Access-Control-Allow-Origin`, so the browser refuses the answer; credentials are allowed
 * only with an explicit list, never with `*`. Every API request passes here, so the headers of a request that
 * is not a preflight are set directly, as the package sets them (same names, values and order; test/cors.test.ts
 * compares the two), without the package's per-request copy of its options and closures.
 */
export function createCorsHandler(
  origins: CorsOrigins,
  methods: readonly string[] = ["GET", "HEAD", "POST"],
) {
  const handler = corsPackageHandler(origins, methods);
  const listed = new Set(origins === "*" ? [] : origins);
  const exposed = EXPOSED_HEADERS.join(",");
  return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void): void => {
    // A Vary already set is merged by the package's rules.
    if (req.method?.toUpperCase() === "OPTIONS" || res.hasHeader("vary")) return handler(req, res, next);
    if (origins === "*") {
      res.setHeader("Access-Control-Allow-Origin", "*");
    } else {
      const origin = req.headers.origin;
      if (origin && listed.has(origin)) res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Credentials", "true");
    }
    res.setHeader("Access-Control-Expose-Headers", exposed);
    next();
  };
}
