import { TRPCClientError } from "@aimo/client";
import type { AimoClient } from "@aimo/client";
import type { McpProcedures } from "@aimo/mcp";
import { createMcpServer } from "@aimo/mcp";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { TRPCError } from "@trpc/server";

import type { Session } from "../session";

/** A server refusal that came over HTTP, thrown again as the TRPCError the tools turn into a tool error. */
async function refusals<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const code =
      error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
    if (!code) throw error;
    throw new TRPCError({ code: code as TRPCError["code"], message: (error as Error).message });
  }
}

/** The MCP tools' procedures over the HTTP client: the same tools as the server's `/mcp`, as the logged-in user. */
export function httpProcedures(client: AimoClient): McpProcedures {
  return {
    search: {
      query: (input) => refusals(client.search.query.query(input)),
      related: (input) => refusals(client.search.related.query(input)),
    },
    memo: {
      create: (input) => refusals(client.memo.create.mutate(input)),
      get: (input) => refusals(client.memo.get.query(input)),
      list: (input) => refusals(client.memo.list.query(input)),
    },
    tag: { list: () => refusals(client.tag.list.query()) },
    recommendation: { today: (input) => refusals(client.recommendation.today.query(input)) },
  };
}

/** Serves MCP on stdin/stdout until the client closes stdin; stdout is the protocol's, so nothing else goes there. */
export async function serveMcp(session: Session, version: string): Promise<void> {
  const server = createMcpServer(httpProcedures(session.client), version);
  await server.connect(new StdioServerTransport());
  await new Promise((resolve) => process.stdin.once("end", resolve));
  await server.close();
}
