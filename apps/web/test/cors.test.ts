import http from "node:http";
import type { AddressInfo } from "node:net";

import { tinyPng } from "@aimo/fake-services";
import type { Browser, Page } from "playwright-core";
import sirv from "sirv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AimoServer } from "./aimo-server";
import { startAimoServer, webAppDir } from "./aimo-server";
import { launchChromium } from "./browser";

/** The built app on an origin of its own, as a static host (a CDN, another domain) would serve it. */
async function serveAppElsewhere() {
  const server = http.createServer(sirv(webAppDir, { single: true }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let api: AimoServer;
let allowed: Awaited<ReturnType<typeof serveAppElsewhere>>;
let refused: Awaited<ReturnType<typeof serveAppElsewhere>>;
let browser: Browser;

beforeAll(async () => {
  allowed = await serveAppElsewhere();
  refused = await serveAppElsewhere();
  api = await startAimoServer("web_cors", { CORS_ORIGINS: allowed.origin });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await allowed?.close();
  await refused?.close();
});

async function registerAgainst(page: Page, appOrigin: string, email: string) {
  await page.goto(appOrigin);
  await page.locator("summary", { hasText: "API server" }).click();
  await page.getByLabel("API server").fill(api.url);
  await page.getByLabel("API server").press("Tab");
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("cors test password");
  await page.getByRole("button", { name: "Create account" }).click();
}

describe("the web app on another origin than the API", () => {
  it("works through CORS when its origin is listed: sign-up, an upload with a token, a memo and its search", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await registerAgainst(page, allowed.origin, "cors@example.test");
    await page.getByRole("navigation", { name: "Main navigation" }).waitFor();
    expect(new URL(page.url()).origin).toBe(allowed.origin);

    const editor = page.getByRole("form", { name: "New memo" });
    await editor.getByLabel("Content").fill("Written on another origin");
    await editor.getByLabel("Attach files").setInputFiles({
      name: "far.png",
      mimeType: "image/png",
      buffer: tinyPng(32, 20, [40, 120, 200]),
    });
    await editor.locator('li[data-uploaded="true"] img[alt="far.png"]').waitFor();
    await editor.getByRole("button", { name: "Save" }).click();
    const memo = page.locator("article.memo-card", { hasText: "Written on another origin" });
    await memo.waitFor();
    // The image comes from the API's origin (a link the server signed), not from the app's.
    const src = await memo.locator('img[alt="far.png"]').getAttribute("src");
    expect(new URL(src!).origin).toBe(api.url);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>("article img")].some((img) => img.naturalWidth === 32),
    );

    await page.getByRole("link", { name: "Search" }).click();
    await page.getByRole("searchbox", { name: "Search memos" }).pressSequentially("another origin");
    await page.locator("article.memo-card", { hasText: "Written on another origin" }).waitFor();
    await page.close();
  });

  it("is refused by the browser when its origin is not listed", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await registerAgainst(page, refused.origin, "refused@example.test");
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/fetch/i);
    expect(await page.evaluate(() => localStorage.getItem("aimo.token"))).toBeNull();
    await page.close();
  });
});
