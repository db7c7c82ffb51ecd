/**
 * AIMO's MCP server: a few tools over one user's memos, each a call of the tRPC procedure that does the work
 * (through the procedures it is given), so MCP has no memo logic of its own. Any transport can serve it:
 * streamable HTTP (apps/server at `/mcp`, with a server-side caller) or stdio (`aimo mcp`, over the HTTP client).
 */
import type { RouterInputs } from "@aimo/api";
import {
  idInput,
  memoCreateInput,
  memoListInput,
  relatedInput,
  searchInput,
  todayInput,
} from "@aimo/api/schemas";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TRPCError } from "@trpc/server";

/**
 * The procedures the tools call. A server-side caller (`createCaller(ctx)`) is one as it is; a client reaches them
 * over HTTP through an adapter. A refusal must be thrown as a TRPCError, which the model reads as a tool error.
 */
export interface McpProcedures {
  search: {
    query(input: RouterInputs["search"]["query"]): Promise<unknown>;
    related(input: RouterInputs["search"]["related"]): Promise<unknown>;
  };
  memo: {
    create(input: RouterInputs["memo"]["create"]): Promise<unknown>;
    get(input: RouterInputs["memo"]["get"]): Promise<unknown>;
    list(input: RouterInputs["memo"]["list"]): Promise<unknown>;
  };
  tag: { list(): Promise<unknown> };
  recommendation: { today(input: RouterInputs["recommendation"]["today"]): Promise<unknown> };
}

/** A procedure's answer as JSON text; a refusal (not found, bad input, …) as a tool error the model can read. */
async function run(call: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return { content: [{ type: "text", text: JSON.stringify(await call()) }] };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { isError: true, content: [{ type: "text", text: `${error.code}: ${error.message}` }] };
  }
}

/** The fields of `memo.create` a conversation needs; the rest (times, attachments) belong to importers. */
const createMemoShape = memoCreateInput.pick({
  content: true,
  tagNames: true,
  categoryId: true,
  isPublic: true,
  source: true,
  linkedMemoIds: true,
}).shape;

/** An MCP server whose tools act as the user of `caller`. */
export function createMcpServer(caller: McpProcedures, version: string): McpServer {
  const server = new McpServer({ name: "aimo", version });
  const readOnly = { readOnlyHint: true, openWorldHint: false };
  server.registerTool(
    "search_memos",
    {
      description:
        "Search the user's memos by meaning, by keyword, or both (hybrid); filters as in list_memos.",
      inputSchema: searchInput.in.shape,
      annotations: readOnly,
    },
    (input) => run(() => caller.search.query(input)),
  );
  server.registerTool(
    "create_memo",
    {
      description: "Create a memo (Markdown text); tags by name are created when new.",
      inputSchema: createMemoShape,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    (input) => run(() => caller.memo.create(input)),
  );
  server.registerTool(
    "get_memo",
    { description: "One memo by its id.", inputSchema: idInput.shape, annotations: readOnly },
    (input) => run(() => caller.memo.get(input)),
  );
  server.registerTool(
    "list_memos",
    {
      description:
        "The user's memos, newest first unless asked otherwise, a page at a time (pass nextCursor on).",
      inputSchema: memoListInput.unwrap().shape,
      annotations: readOnly,
    },
    (input) => run(() => caller.memo.list(input)),
  );
  server.registerTool(
    "related_memos",
    {
      description: "The memos closest in meaning to one memo.",
      inputSchema: relatedInput.in.shape,
      annotations: readOnly,
    },
    (input) => run(() => caller.search.related(input)),
  );
  server.registerTool(
    "list_tags",
    { description: "The user's tags with how many memos use each.", annotations: readOnly },
    () => run(() => caller.tag.list()),
  );
  server.registerTool(
    "todays_picks",
    {
      description: "Today's picks: a few older memos worth seeing again, the same all day.",
      inputSchema: todayInput.unwrap().shape,
      annotations: readOnly,
    },
    (input) => run(() => caller.recommendation.today(input)),
  );
  return server;
}
