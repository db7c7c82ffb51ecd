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

/**
 * The `cors` package as a node:http step: answers preflights (204) itself and sets the response headers of
 * every other request before `next` answers it; preflights allow `methods` (REST uses more than tRPC). An origin
 * off the list gets no `Access-Control-Allow-Origin`, so the browser refuses the answer; credentials are allowed
 * only with an explicit list, never with `*`.
 */
export function createCorsHandler(
  origins: CorsOrigins,
  methods: readonly string[] = ["GET", "HEAD", "POST"],
) {
  const handler = cors({
    origin: origins,
    credentials: origins !== "*",
    methods: [...methods],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
  return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void): void =>
    handler(req, res, next);
}
