import type http from "node:http";

import type { Context } from "@aimo/api/server";
import { createCaller, toTRPCError } from "@aimo/api/server";
import { createMcpServer } from "@aimo/mcp";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { TRPCError } from "@trpc/server";

import { sendError } from "./files";

export const MCP_PATH = "/mcp";

/**
 * `POST /mcp`: MCP over streamable HTTP, stateless: each request gets a fresh server and transport acting as the
 * bearer token's user, so nothing is kept between requests and any instance can answer. No token or a bad one:
 * 401 before the body is read. GET (a server-sent event stream) and DELETE (ending a session) have nothing to
 * do without sessions: 405.
 */
export async function handleMcpRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  createContext: () => Promise<Context>,
): Promise<void> {
  if (req.method !== "POST") {
    return sendError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "Use POST" }), {
      allow: "POST",
    });
  }
  let ctx: Context;
  try {
    ctx = await createContext();
  } catch (error) {
    return sendError(res, toTRPCError(error));
  }
  if (!ctx.user) {
    return sendError(
      res,
      new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" }),
      { "www-authenticate": 'Bearer realm="aimo"' },
    );
  }
  const server = createMcpServer(createCaller(ctx), ctx.version);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.once("close", () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res);
  } catch (error) {
    ctx.logger.error({ err: error }, "mcp request failed");
    if (!res.headersSent) sendError(res, toTRPCError(error));
    else res.destroy();
  }
}
