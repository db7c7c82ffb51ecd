import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";

let running: TestServer;
let appDir: string;

beforeAll(async () => {
  appDir = await mkdtemp(join(tmpdir(), "aimo-web-app-"));
  await mkdir(join(appDir, "assets"));
  await writeFile(join(appDir, "index.html"), "<!doctype html><title>AIMO app</title>");
  await writeFile(join(appDir, "assets", "index-abc123.js"), "console.log('app')");
  running = await startTestServer("server_web_app", { WEB_APP_DIR: appDir });
});
afterAll(async () => {
  await running.close();
  await rm(appDir, { recursive: true, force: true });
});

describe("the built web app at /", () => {
  it("serves index.html at / and revalidates it on every load", async () => {
    const response = await fetch(`${running.server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toContain("AIMO app");
  });

  it("caches hashed assets for a year", async () => {
    const response = await fetch(`${running.server.url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await response.text()).toBe("console.log('app')");
  });

  it("answers the app's own routes with index.html (SPA fallback)", async () => {
    const response = await fetch(`${running.server.url}/memo/some-id`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("AIMO app");
  });

  it("leaves the API's routes and non-GET requests to the API", async () => {
    expect((await fetch(`${running.server.url}/healthz`)).headers.get("content-type")).toContain("json");
    const posted = await fetch(`${running.server.url}/memo/some-id`, { method: "POST" });
    expect(posted.status).toBe(404);
    expect(await posted.json()).toEqual({ error: "Not found" });
    const trpc = await fetch(`${running.server.url}/trpc/system.health`);
    expect(trpc.headers.get("content-type")).toContain("json");
  });

  it("does not serve files outside its folder", async () => {
    const response = await fetch(`${running.server.url}/..%2f..%2fetc%2fpasswd`);
    expect(await response.text()).not.toContain("root:");
  });
});
