import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { AppRouter, MemoDto, RouterOutputs, TRPCClientError } from "@aimo/client";
import { createAimoClient } from "@aimo/client";
import type { TestServer } from "@aimo/server/testing";
import { startTestServer } from "@aimo/server/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CliRun } from "./run-cli";
import { cliBundle, runCli } from "./run-cli";

let server: TestServer;
let home: string;
const email = "cli@example.test";
const password = "terminal memos";

beforeAll(async () => {
  server = await startTestServer("cli");
  home = await mkdtemp(join(tmpdir(), "aimo-cli-"));
  await createAimoClient({ url: server.server.url }).auth.register.mutate({ email, password });
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

const env = () => ({ XDG_CONFIG_HOME: join(home, "config") });
const aimo = (args: string[], stdin?: string) => runCli(args, { cwd: home, env: env(), stdin });

/** A run that must succeed; its stdout parsed as the one JSON document `--json` prints. */
async function aimoJson<T>(args: string[], stdin?: string): Promise<T> {
  const run = await aimo([...args, "--json"], stdin);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** A failure reads as one sentence on stderr, with no stack trace, and a non-zero exit. */
function expectOneSentenceFailure(run: CliRun, pattern: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe("");
  expect(run.stderr.trim().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("aimo against a running server", () => {
  it("refuses every command before login, in one sentence", async () => {
    expectOneSentenceFailure(await aimo(["list"]), /^aimo: Not logged in: run `aimo login` first\.$/m);
  });

  it("says a wrong password and an unreachable server in one sentence", async () => {
    expectOneSentenceFailure(
      await aimo(["login", "--server", server.server.url, "--email", email], "not the password\n"),
      /^aimo: Wrong email or password\.$/m,
    );
    expectOneSentenceFailure(
      await aimo(["login", "--server", "http://127.0.0.1:9", "--email", email], `${password}\n`),
      /^aimo: Cannot reach the AIMO server at http:\/\/127\.0\.0\.1:9/m,
    );
  });

  it("logs in with the password on stdin and keeps a personal API token in a 0600 file", async () => {
    const run = await aimo(["login", "--server", server.server.url, "--email", email], `${password}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${server.server.url} as ${email}`);
    const file = join(home, "config", "aimo", "config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "config", "aimo"))).mode & 0o777).toBe(0o700);
    const config = JSON.parse(await readFile(file, "utf8")) as { server: string; token: string };
    expect(config.server).toBe(server.server.url);
    expect(config.token).toMatch(/^aimo_pat_/);
    const tokens = await createAimoClient({
      url: server.server.url,
      token: config.token,
    }).auth.listTokens.query();
    expect(tokens.map((token) => token.name)).toEqual([expect.stringMatching(/^aimo CLI on /)]);
  });

  it("adds memos with tags, a category and an attachment, and from stdin", async () => {
    const tagged = await aimoJson<MemoDto>([
      "add",
      "Kyoto temples at dawn",
      "--tag",
      "travel",
      "--tag",
      "japan",
      "--category",
      "Trips",
    ]);
    expect(tagged.content).toBe("Kyoto temples at dawn");
    expect(tagged.tags.map((tag) => tag.name)).toEqual(["travel", "japan"]);
    expect(tagged.categoryId).toBeDefined();

    await writeFile(join(home, "packing.txt"), "passport, charger");
    const withFile = await aimoJson<MemoDto>(["add", "Packing list", "--file", "packing.txt"]);
    expect(withFile.attachmentIds).toHaveLength(1);

    const piped = await aimoJson<MemoDto>(
      ["add", "--tag", "ideas"],
      "A note piped from stdin\nwith two lines\n",
    );
    expect(piped.content).toBe("A note piped from stdin\nwith two lines\n");
    expect(piped.tags.map((tag) => tag.name)).toEqual(["ideas"]);

    const text = await aimo(["add", "Plain output for people"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Added \S+\.\n.+\n {2}Plain output for people\n$/);
  });

  it("lists the newest first, as JSON and as text", async () => {
    const memos = await aimoJson<MemoDto[]>(["list", "--limit", "3"]);
    expect(memos.map((memo) => memo.content)).toEqual([
      "Plain output for people",
      "A note piped from stdin\nwith two lines\n",
      "Packing list",
    ]);
    const text = await aimo(["list"]);
    expect(text.stdout).toContain("#travel #japan");
    expect(text.stdout.indexOf("Plain output")).toBeLessThan(text.stdout.indexOf("Kyoto"));
  });

  it("finds a memo by search, hybrid and by keyword", async () => {
    type Search = RouterOutputs["search"]["query"];
    const hybrid = await aimoJson<Search>(["search", "temples"]);
    expect(hybrid.hits[0]?.memo.content).toBe("Kyoto temples at dawn");
    const keyword = await aimoJson<Search>(["search", "piped", "--mode", "keyword"]);
    expect(keyword.hits.map((hit) => hit.memo.content)).toEqual([
      "A note piped from stdin\nwith two lines\n",
    ]);
    const none = await aimo(["search", "zzzqqq", "--mode", "keyword"]);
    expect(none.stdout).toContain('Nothing found for "zzzqqq"');
    expectOneSentenceFailure(
      await aimo(["search", "temples", "--limit", "51"]),
      /^aimo: The server refused the input: limit: .+\.$/m,
    );
  });

  it("exports a zip of every memo to disk", async () => {
    const result = await aimoJson<{ file: string; bytes: number }>(["export", "backup.zip"]);
    expect(result.file).toBe("backup.zip");
    const zip = await readFile(join(home, "backup.zip"));
    expect(zip.length).toBe(result.bytes);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(zip.includes("aimo.json")).toBe(true);
    const memos = await aimoJson<MemoDto[]>(["list", "--limit", "100"]);
    for (const memo of memos) expect(zip.includes(`memos/${memo.id}.md`)).toBe(true);
    await expect(stat(join(home, "backup.zip.part"))).rejects.toThrow();
  });

  it("imports a Markdown file, and a folder of them", async () => {
    await writeFile(join(home, "reading.md"), "---\ntags: [books]\n---\nFinish reading Dune\n");
    const report = await aimoJson<{ format: string; created: { memos: number } }>([
      "import",
      "reading.md",
      "--format",
      "markdown",
    ]);
    expect(report.format).toBe("markdown");
    expect(report.created.memos).toBe(1);
    const found = await aimoJson<RouterOutputs["search"]["query"]>(["search", "Dune", "--mode", "keyword"]);
    expect(found.hits[0]?.memo.tags.map((tag) => tag.name)).toEqual(["books"]);

    const vault = join(home, "vault");
    await mkdir(join(vault, "daily"), { recursive: true });
    await mkdir(join(vault, ".obsidian"));
    await writeFile(join(vault, "daily", "monday.md"), "Monday standup #work\n");
    await writeFile(join(vault, "tuesday.md"), "Tuesday retro\n");
    await writeFile(join(vault, ".obsidian", "app.json"), "{}");
    const folder = await aimo(["import", "vault"]);
    expect(folder.code, folder.stderr).toBe(0);
    expect(folder.stdout).toMatch(/^Imported markdown: 2 memos\.$/m);
    expect(folder.stderr).toMatch(/^Uploading: .+ \(100%\)$/m);

    expectOneSentenceFailure(
      await aimo(["import", "reading.md", "--format", "flomo"]),
      /^aimo: A flomo import is a folder or a \.zip, \.html, \.htm file, not reading\.md\.$/m,
    );
  });

  it("serves the MCP tools on stdio: creates a memo and finds it", async () => {
    const client = new Client({ name: "aimo-cli-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cliBundle, "mcp"],
        cwd: home,
        env: { ...(process.env as Record<string, string>), ...env() },
        stderr: "pipe",
      }),
    );
    try {
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
        return { isError: result.isError, text };
      };
      const created = await call("create_memo", { content: "Lanterns along the river", tagNames: ["mcp"] });
      expect(created.isError, created.text).toBeFalsy();
      const memo = JSON.parse(created.text) as MemoDto;
      const found = await call("search_memos", { query: "lanterns", mode: "keyword" });
      expect(
        (JSON.parse(found.text) as { hits: { memo: MemoDto }[] }).hits.map((hit) => hit.memo.id),
      ).toEqual([memo.id]);
      const missing = await call("get_memo", { id: "mem_does_not_exist" });
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(/^NOT_FOUND: /);
    } finally {
      await client.close();
    }
  });

  it("logs out: the token it made is revoked and the login forgotten", async () => {
    const file = join(home, "config", "aimo", "config.json");
    const { token } = JSON.parse(await readFile(file, "utf8")) as { token: string };
    const run = await aimo(["logout"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("its token is revoked");
    await expect(stat(file)).rejects.toThrow();
    const refused = await createAimoClient({ url: server.server.url, token })
      .auth.me.query()
      .catch((error: TRPCClientError<AppRouter>) => error.data?.code);
    expect(refused).toBe("UNAUTHORIZED");
    expectOneSentenceFailure(await aimo(["list"]), /^aimo: Not logged in/m);
  });
});
