import type http from "node:http";

import type { Context } from "@aimo/api/server";
import { createCaller, toTRPCError } from "@aimo/api/server";
import {
  callRestRoute,
  createOpenApiDocument,
  matchRestRoute,
  renderDocsPage,
  REST_BASE_PATH,
  restError,
  restInput,
} from "@aimo/rest";
import { TRPCError } from "@trpc/server";

import { version } from "../version";
import { sendJson } from "./files";

/** Everything REST: the routes below REST_BASE_PATH, their OpenAPI document and its docs page. */
export const API_PATH_PREFIX = "/api/";
export const OPENAPI_PATH = "/api/openapi.json";
export const DOCS_PATH = "/api/docs";

/** The page has no script and loads nothing from elsewhere; its style is inline. */
const DOCS_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const isJson = (contentType: string | undefined) =>
  contentType === undefined || /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType);

/** The request's JSON body, undefined when it has none; refusals as TRPCErrors (413, 415, 400). */
async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The body is larger than ${limit} bytes` });
  }
  if (!isJson(req.headers["content-type"])) {
    throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json" });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The body is larger than ${limit} bytes` });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The body is not valid JSON" });
  }
}

function sendRestError(res: http.ServerResponse, error: TRPCError, headers: http.OutgoingHttpHeaders = {}) {
  const { status, body } = restError(error);
  sendJson(
    res,
    status,
    body,
    status === 401 ? { ...headers, "www-authenticate": 'Bearer realm="aimo"' } : headers,
  );
}

/**
 * `/api/`: `GET /api/openapi.json`, `GET /api/docs`, and REST under `/api/v1`, each route a call of its tRPC
 * procedure (createCaller with the bearer token's user), answered in plain JSON.
 */
export function restRoute(maxBodySize: number) {
  const document = createOpenApiDocument(version);
  const documentJson = JSON.stringify(document);
  const docsPage = renderDocsPage(document, OPENAPI_PATH);

  async function answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    createContext: () => Promise<Context>,
  ): Promise<void> {
    const match = matchRestRoute(req.method ?? "GET", url.pathname.slice(REST_BASE_PATH.length));
    if (!match.route) {
      if (match.allow.length === 0) {
        return sendRestError(res, new TRPCError({ code: "NOT_FOUND", message: `No route ${url.pathname}` }));
      }
      return sendRestError(
        res,
        new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `Use ${match.allow.join(", ")}` }),
        { allow: match.allow.join(", ") },
      );
    }
    let ctx: Context | undefined;
    try {
      ctx = await createContext();
      const sendsBody = match.route.method !== "GET" && match.route.method !== "DELETE";
      const body = sendsBody ? await readJsonBody(req, maxBodySize) : undefined;
      const output = await callRestRoute(
        createCaller(ctx),
        match.route,
        restInput(match, url.searchParams, body),
      );
      if (output === undefined) {
        res.writeHead(204);
        return void res.end();
      }
      sendJson(res, match.route.status ?? 200, output);
    } catch (error) {
      const mapped = error instanceof TRPCError ? error : toTRPCError(error);
      if (mapped.code === "INTERNAL_SERVER_ERROR") {
        ctx?.logger.error({ err: error, route: match.route.path }, "rest request failed");
      }
      sendRestError(res, mapped);
    }
  }

  return (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    createContext: () => Promise<Context>,
  ): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === OPENAPI_PATH || url.pathname === DOCS_PATH) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return sendRestError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "Use GET" }), {
          allow: "GET, HEAD",
        });
      }
      const [type, content, headers] =
        url.pathname === OPENAPI_PATH
          ? ["application/json", documentJson, {}]
          : ["text/html; charset=utf-8", docsPage, { "content-security-policy": DOCS_PAGE_POLICY }];
      res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(content), ...headers });
      return void res.end(req.method === "HEAD" ? undefined : content);
    }
    if (url.pathname.startsWith(`${REST_BASE_PATH}/`)) return void answer(req, res, url, createContext);
    sendRestError(res, new TRPCError({ code: "NOT_FOUND", message: `No route ${url.pathname}` }));
  };
}
