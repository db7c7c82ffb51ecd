import { fileURLToPath } from "node:url";

import { build } from "vite";

/** The browser tests drive the production build, served by the real server as `pnpm start` serves it. */
export default async function buildApp() {
  // vitest runs with NODE_ENV=test, under which Vite and the React plugin would build React's development mode.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: fileURLToPath(new URL("..", import.meta.url)), logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
