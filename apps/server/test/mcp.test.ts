import type { AimoClient } from "@aimo/client";
import { createAimoClient } from "@aimo/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";

let test: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  test = await startTestServer("server_mcp");
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await test.close();
});

let users = 0;
/** A new user, their typed client, and a personal API token as a script would use it. */
async function signUp(): Promise<{ client: AimoClient; apiToken: string }> {
  const { token } = await createAimoClient({ url: test.server.url }).auth.register.mutate({
    email: `mcp${++users}@example.test`,
    password: "mcp tools",
  });
  const client = createAimoClient({ url: test.server.url, token });
  const { token: apiToken } = await client.auth.createToken.mutate({ name: "mcp" });
  return { client, apiToken };
}

function transport(token?: string) {
  return new StreamableHTTPClientTransport(new URL(`${test.server.url}/mcp`), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: "aimo-test", version: "1.0.0" });
  await client.connect(transport(token));
  clients.push(client);
  return client;
}

/** A tool's answer, parsed; fails the test on a tool error. */
async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
  expect(result.isError, text).toBeFalsy();
  return JSON.parse(text);
}

describe("MCP over streamable HTTP", () => {
  it("lists the tools, creates a memo and finds it by search, by id and in the list", async () => {
    const { apiToken } = await signUp();
    const mcp = await connect(apiToken);
    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "create_memo",
      "get_memo",
      "list_memos",
      "list_tags",
      "related_memos",
      "search_memos",
      "todays_picks",
    ]);
    const search = tools.find((tool) => tool.name === "search_memos");
    expect(search?.inputSchema.required).toEqual(["query"]);

    const created = (await callTool(mcp, "create_memo", {
      content: "Kyoto temples at dawn",
      tagNames: ["travel"],
    })) as { id: string; content: string };
    expect(created.content).toBe("Kyoto temples at dawn");

    const found = (await callTool(mcp, "search_memos", { query: "temples", mode: "keyword" })) as {
      hits: { memo: { id: string } }[];
    };
    expect(found.hits.map((hit) => hit.memo.id)).toEqual([created.id]);
    expect(await callTool(mcp, "get_memo", { id: created.id })).toMatchObject({
      id: created.id,
      content: "Kyoto temples at dawn",
    });
    const listed = (await callTool(mcp, "list_memos", { limit: 5 })) as { items: { id: string }[] };
    expect(listed.items.map((memo) => memo.id)).toEqual([created.id]);
    const tags = (await callTool(mcp, "list_tags")) as { name: string }[];
    expect(tags.map((tag) => tag.name)).toEqual(["travel"]);
  });

  it("answers a bad input and another user's memo with tool errors, never their data", async () => {
    const owner = await signUp();
    const secret = await owner.client.memo.create.mutate({ content: "owner's secret" });
    const mcp = await connect((await signUp()).apiToken);

    const other = (await mcp.callTool({ name: "get_memo", arguments: { id: secret.id } })) as CallToolResult;
    expect(other.isError).toBe(true);
    expect(JSON.stringify(other.content)).toMatch(/^\[\{"type":"text","text":"NOT_FOUND: /);
    expect(JSON.stringify(other.content)).not.toContain("owner's secret");

    const bad = (await mcp.callTool({ name: "create_memo", arguments: { content: "" } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect((await owner.client.memo.list.query()).items).toHaveLength(1);
  });

  it("refuses a request without a token or with a bad one: 401 before any tool runs", async () => {
    for (const token of [undefined, "aimo_pat_not-a-real-token"]) {
      const client = new Client({ name: "aimo-test", version: "1.0.0" });
      await expect(client.connect(transport(token))).rejects.toMatchObject({ code: 401 });
      const res = await fetch(`${test.server.url}/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const get = await fetch(`${test.server.url}/mcp`);
    expect(get.status).toBe(405);
  });
});
