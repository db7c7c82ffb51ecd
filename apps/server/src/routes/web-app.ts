import { existsSync } from "node:fs";
import type http from "node:http";
import { join } from "node:path";

import sirv from "sirv";

/** Vite names built assets by content hash: a changed file gets a new name, so they may be cached for a year. */
const HASHED_ASSETS = "/assets/";

/**
 * The built web app: its files, and index.html for any other GET (the app's own routes, such as /memo/:id).
 * index.html is revalidated on every load so a new release is picked up; undefined when the app is not built.
 */
export function createWebAppHandler(dir: string): http.RequestListener | undefined {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  return sirv(dir, {
    single: true,
    etag: true,
    setHeaders(res, pathname) {
      res.setHeader(
        "cache-control",
        pathname.startsWith(HASHED_ASSETS) ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
}
