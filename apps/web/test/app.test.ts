import type { FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi, tinyPng } from "@aimo/fake-services";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AimoServer } from "./aimo-server";
import { startAimoServer } from "./aimo-server";
import { launchChromium, screenshot } from "./browser";

let server: AimoServer;
let openai: FakeOpenAi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Lets the chat answer go on after its first piece: until then the page can only show the first. */
let releaseAnswer: () => void;

const PASSWORD = "browser test password";

beforeAll(async () => {
  openai = await startFakeOpenAi({
    chat: () => {
      const held = new Promise<void>((resolve) => (releaseAnswer = resolve));
      return { pieces: ["You went to the lighthouse ", "at dawn, ", "with Ana [1]."], holdAfterFirst: held };
    },
  });
  server = await startAimoServer("web_app", { OPENAI_BASE_URL: openai.url, OPENAI_MODEL: "fake-chat" });
  browser = await launchChromium();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await openai?.close();
});

async function register(on: Page, email: string) {
  await on.goto(server.url);
  await on.getByRole("button", { name: "New here? Create an account" }).click();
  await on.getByLabel("Email").fill(email);
  await on.getByLabel("Password").fill(PASSWORD);
  await on.getByRole("button", { name: "Create account" }).click();
  await on.getByRole("navigation", { name: "Main navigation" }).waitFor();
}

const card = (text: string) => page.locator("article.memo-card", { hasText: text });
let lighthouseUrl: string;

describe("the AIMO web app in Chromium", () => {
  it("registers, logs out and logs back in", async () => {
    await page.goto(server.url);
    await page.getByRole("form", { name: "Log in" }).waitFor();
    await screenshot(page, "login");
    await register(page, "ana@example.test");
    expect(await page.evaluate(() => localStorage.getItem("aimo.token"))).toMatch(/\S{20,}/);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("form", { name: "Log in" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("aimo.token"))).toBeNull();
    await page.getByLabel("Email").fill("ana@example.test");
    await page.getByLabel("Password").fill("a wrong password");
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByRole("alert").waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByText("Nothing here yet.").waitFor();
  });

  it("creates a memo with a tag and an image, shown in the timeline", async () => {
    const editor = page.getByRole("form", { name: "New memo" });
    await editor.getByLabel("Content").fill("Trip to the **Lighthouse** at dawn");
    await editor.getByLabel("Tags").fill("travel");
    await editor.getByLabel("Attach files").setInputFiles({
      name: "lighthouse.png",
      mimeType: "image/png",
      buffer: tinyPng(160, 100, [200, 40, 40]),
    });
    await editor.locator('li[data-uploaded="true"] img[alt="lighthouse.png"]').waitFor();
    await editor.getByRole("button", { name: "Save" }).click();

    const memo = card("Lighthouse");
    await memo.locator("strong", { hasText: "Lighthouse" }).waitFor();
    expect(await memo.locator(".tag").allTextContents()).toEqual(["#travel"]);
    // The image is shown from the server's signed link, decoded by the browser.
    const image = memo.locator('img[alt="lighthouse.png"]');
    await image.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>("article img")].some((img) => img.naturalWidth === 160),
    );
    expect(await editor.getByLabel("Content").inputValue()).toBe("");
    await screenshot(page, "timeline");
  });

  it("finds the memo by searching as you type, with its score", async () => {
    await page.getByRole("link", { name: "Search" }).click();
    await page.getByRole("searchbox", { name: "Search memos" }).pressSequentially("lighthous");
    const hit = card("Lighthouse");
    await hit.waitFor();
    expect(await hit.locator(".score").textContent()).toMatch(/score \d\.\d\d/);
    await screenshot(page, "search");
  });

  it("edits the memo on its own page, and the change survives a reload", async () => {
    await card("Lighthouse").locator(".memo-date").click();
    await page.waitForURL(/\/memo\/[^/]+$/);
    lighthouseUrl = page.url();
    await page.getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("form", { name: "Edit memo" });
    expect(await editor.getByLabel("Tags").inputValue()).toBe("travel");
    await editor.getByLabel("Content").fill("Trip to the **Lighthouse** at dawn, with Ana");
    await editor.getByRole("button", { name: "Save" }).click();
    await card("with Ana").waitFor();
    await page.reload();
    await card("with Ana").waitFor();
    expect(await card("with Ana").locator(".tag").allTextContents()).toEqual(["#travel"]);
  });

  it("links a new memo to it, and the backlink shows on the linked memo", async () => {
    await page.getByRole("link", { name: "Timeline" }).click();
    const editor = page.getByRole("form", { name: "New memo" });
    await editor.getByLabel("Content").fill("Packing list for the coast");
    await editor.getByLabel("Find a memo to link").fill("lighthouse");
    await editor.getByRole("button", { name: /Lighthouse/ }).click();
    await editor.getByRole("button", { name: /Remove link: Trip to the \*\*Lighthouse/ }).waitFor();
    await editor.getByRole("button", { name: "Save" }).click();
    await card("Packing list").waitFor();

    await page.goto(lighthouseUrl);
    const backlinks = page.getByRole("region", { name: "Linked from" });
    await backlinks.getByRole("link", { name: "Packing list for the coast" }).waitFor();
    await screenshot(page, "memo");

    await page.getByRole("link", { name: "Graph" }).click();
    await page.locator("svg.graph circle").nth(1).waitFor();
    expect(await page.locator("svg.graph line").count()).toBe(1);
  });

  it("streams a chat answer piece by piece, with its sources linked to the memos", async () => {
    await page.getByRole("link", { name: "AI chat" }).click();
    await page.getByLabel("Ask about your memos…").fill("When did I visit the lighthouse?");
    await page.getByRole("button", { name: "Send" }).click();

    const streaming = page.locator(".message.assistant.streaming");
    await streaming.getByText("You went to the lighthouse").waitFor();
    // The model holds the rest of its answer: what shows is the first piece alone, streamed.
    expect((await streaming.locator(".markdown").textContent())?.trim()).toBe("You went to the lighthouse");
    releaseAnswer();

    const answer = page.locator(".message.assistant", { hasText: "with Ana [1]." });
    await answer.waitFor();
    await page.locator(".message.assistant.streaming").waitFor({ state: "detached" });
    const source = answer.getByRole("link", { name: /Lighthouse/ });
    await source.waitFor();
    await screenshot(page, "chat");
    expect(
      openai.chatRequests
        .at(-1)
        ?.messages.map((m) => m.content)
        .join("\n"),
    ).toContain("Lighthouse");
    await source.click();
    await page.waitForURL(lighthouseUrl);
    await card("with Ana").waitFor();
  });

  it("shows a second user none of the first user's memos", async () => {
    const other = await browser.newContext({ locale: "en-US" });
    const second = await other.newPage();
    await register(second, "ben@example.test");
    await second.getByText("Nothing here yet.").waitFor();

    await second.getByRole("link", { name: "Search" }).click();
    await second.getByRole("searchbox", { name: "Search memos" }).pressSequentially("lighthouse");
    await second.getByText("Nothing here yet.").waitFor();

    await second.goto(lighthouseUrl);
    await second.getByRole("alert").waitFor();
    expect(await second.getByRole("alert").textContent()).toMatch(/not found/i);
    expect(await second.content()).not.toContain("Ana");
    await second.getByRole("link", { name: "Graph" }).click();
    await second.getByText("Link memos to each other to see the graph.").waitFor();
    await other.close();
  });
});
