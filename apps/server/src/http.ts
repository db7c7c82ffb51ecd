import { randomUUID } from "node:crypto";
import http from "node:http";

import { appRouter } from "@aimo/api";
import { REST_METHODS } from "@aimo/rest";
import type { Context } from "@aimo/api/server";
import type { TRPCError } from "@trpc/server";
import type { Logger } from "pino";

import type { CorsOrigins } from "./cors";
import { createCorsHandler } from "./cors";
import type { Readiness } from "./readiness";
import { handleAttachmentRequest } from "./routes/attachments";
import { handleAvatarRequest } from "./routes/avatars";
import { sendJson } from "./routes/files";
import { handleMcpRequest, MCP_PATH } from "./routes/mcp";
import { API_PATH_PREFIX, restRoute } from "./routes/rest";
import { handleExportRequest, importRoute } from "./routes/transfer";
import { createTrpcHandler, TRPC_BASE_PATH } from "./trpc";
import { closeIfBodyUnread } from "./unread-body";

export interface HttpDeps {
  logger: Logger;
  /** Builds the per-request context; the host adds only what it reads from the request. */
  createContext: (req: http.IncomingMessage, requestId: string) => Promise<Context>;
  /** Each store's state, within 2 s. */
  readiness: () => Promise<Readiness>;
  /** Largest tRPC request body in bytes (MAX_REQUEST_BODY). */
  maxRequestBody: number;
  /** Whether tRPC's fast paths are on (TRPC_FAST_PATH). */
  trpcFastPath: boolean;
  /** Origins whose pages may call the API (CORS_ORIGINS). */
  corsOrigins: CorsOrigins;
  /** Serves the built web app for GETs no route above takes; absent when the app is not built. */
  webApp?: http.RequestListener;
  /** Largest `POST /import` upload in bytes (IMPORT_MAX_FILE_SIZE). */
  maxImportBytes: number;
}

/**
 * The HTTP host: `/healthz`, `/readyz`, tRPC under `/trpc`, attachment upload and download under `/attachments`,
 * avatars under `/avatars`, export and import under `/export` and `/import`, REST and its OpenAPI document
 * under `/api/`, MCP at `/mcp` (for MCP clients, not browsers), and the web app for every other GET; the API's paths answer browsers on the origins of CORS_ORIGINS (preflights included).
 */
export function createHttpServer(deps: HttpDeps): http.Server {
  const requestIds = new WeakMap<http.IncomingMessage, string>();
  const contextOf = (req: http.IncomingMessage) =>
    deps.createContext(req, requestIds.get(req) ?? randomUUID());
  const logFailure = ({
    error,
    path,
    req,
  }: {
    error: TRPCError;
    path?: string;
    req: http.IncomingMessage;
  }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      deps.logger.error({ err: error, path, requestId: requestIds.get(req) }, "procedure failed");
    } else if (error.code === "SERVICE_UNAVAILABLE") {
      deps.logger.warn({ err: error.cause, path, requestId: requestIds.get(req) }, "mysql unavailable");
    }
  };
  const trpcHandler = createTrpcHandler({
    router: appRouter,
    fastPath: deps.trpcFastPath,
    createContext: contextOf,
    onError: logFailure,
    maxBodySize: deps.maxRequestBody,
  });
  const cors = createCorsHandler(deps.corsOrigins);
  const restCors = createCorsHandler(deps.corsOrigins, REST_METHODS);
  const handleRestRequest = restRoute(deps.maxRequestBody);

  const handleImportRequest = importRoute(deps.maxImportBytes);
  const accessLog = deps.logger.isLevelEnabled("info");
  return http.createServer((req, res) => {
    const headerId = req.headers["x-request-id"];
    const requestId =
      typeof headerId === "string" && /^[\w.-]{1,64}$/.test(headerId) ? headerId : randomUUID();
    requestIds.set(req, requestId);
    res.setHeader("x-request-id", requestId);
    // An access log line only when info is logged: otherwise no listener and no record per request.
    if (accessLog) {
      const started = performance.now();
      res.on("finish", () => {
        deps.logger.info(
          {
            requestId,
            method: req.method,
            url: req.url,
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          },
          "request",
        );
      });
    }

    closeIfBodyUnread(req, res);
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      void deps.readiness().then((ready) => sendJson(res, ready.status === "not ready" ? 503 : 200, ready));
      return;
    }
    if (path?.startsWith(TRPC_BASE_PATH)) return cors(req, res, () => trpcHandler(req, res));
    if (path === "/attachments" || path?.startsWith("/attachments/")) {
      return cors(req, res, () => {
        void handleAttachmentRequest(req, res, () => deps.createContext(req, requestId));
      });
    }
    if (path === "/avatars" || path?.startsWith("/avatars/")) {
      return cors(req, res, () => {
        void handleAvatarRequest(req, res, () => deps.createContext(req, requestId));
      });
    }
    if (path?.startsWith(API_PATH_PREFIX)) {
      return restCors(req, res, () => handleRestRequest(req, res, () => deps.createContext(req, requestId)));
    }
    if (path === MCP_PATH) return void handleMcpRequest(req, res, () => deps.createContext(req, requestId));
    if (path === "/export") {
      return cors(req, res, () => {
        void handleExportRequest(req, res, () => deps.createContext(req, requestId));
      });
    }
    if (path === "/import" || path?.startsWith("/import/")) {
      return cors(req, res, () => {
        void handleImportRequest(req, res, () => deps.createContext(req, requestId));
      });
    }
    if (deps.webApp && (req.method === "GET" || req.method === "HEAD")) return deps.webApp(req, res);
    sendJson(res, 404, { error: "Not found" });
  });
}
