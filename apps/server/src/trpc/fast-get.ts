/**
 * Mirrors @trpc/server 11.25.2, for GET queries only:
 * - src/unstable-core-do-not-import/http/resolveResponse.ts (the calls, lines ~397-468; the answers ~472-517
 *   and ~758-827), with the public getTRPCErrorShape, transformTRPCResponse and getHTTPStatusCode;
 * - src/adapters/node-http/incomingMessageToRequest.ts (the signal that aborts when the client leaves, in
 *   connection-signal.ts).
 * Why: the adapter turns each request into a fetch Request, a Response and a ReadableStream, which costs more
 * than a page of memos from MySQL. test/trpc-equivalence.test.ts compares it with the adapter; on an upgrade of
 * @trpc/server, re-read those files and run that test (TRPC_FAST_PATH=false turns this off).
 */
import type http from "node:http";

import type {
  AnyTRPCProcedure,
  AnyTRPCRootTypes,
  AnyTRPCRouter,
  inferRouterContext,
  TRPCError,
  TRPCErrorShape,
  TRPCRootConfig,
} from "@trpc/server";
import { getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";

import { callProcedure } from "./call-procedure";
import { requestSignal } from "./connection-signal";

export interface QueryHandlerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** Where tRPC is served, with its slashes: `/trpc/`. */
  basePath: string;
  maxBatchSize: number;
  createContext: (req: http.IncomingMessage) => Promise<inferRouterContext<TRouter>>;
  onError: (opts: { error: TRPCError; path: string; req: http.IncomingMessage }) => void;
}

type Procedure = AnyTRPCProcedure;

/**
 * tRPC's Vary plus Origin. tRPC's adapter sets Vary itself, replacing what the host set, so the handler adds
 * Origin on both paths (index.ts appends it to the adapter's): the host's CORS headers depend on the Origin.
 */
export const TRPC_VARY = "trpc-accept, accept, origin";

/** Whether the client asked for a streamed answer (httpBatchStreamLink, subscriptions): the adapter's to give. */
const wantsStream = (req: http.IncomingMessage) =>
  req.headers["trpc-accept"] === "application/jsonl" ||
  (req.headers.accept ?? "").includes("text/event-stream");

interface QueryCall {
  path: string;
  procedure: Procedure;
  input: unknown;
}

/**
 * The calls of a plain GET query request (single or batched), or null for anything else: mutations,
 * streams, subscriptions, unknown paths and malformed URLs or input are left to tRPC's adapter, which
 * answers them with its protocol errors.
 */
function parseQueryCalls(
  options: QueryHandlerOptions<AnyTRPCRouter>,
  req: http.IncomingMessage,
): { calls: QueryCall[]; batch: boolean } | null {
  if (req.method !== "GET" || wantsStream(req)) return null;
  // At run time a router's procedures are one flat record keyed by dotted path (index.ts refuses lazy routers).
  const procedures = options.router._def.procedures as unknown as Record<string, Procedure | undefined>;
  const transformer = options.router._def._config.transformer;
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const batch = url.searchParams.get("batch") === "1";
    const paths = decodeURIComponent(url.pathname.slice(options.basePath.length)).split(",");
    if (paths.length > (batch ? options.maxBatchSize : 1)) return null;
    const raw = url.searchParams.get("input");
    const inputs: unknown = raw ? JSON.parse(raw) : undefined;
    if (batch && inputs !== undefined && (typeof inputs !== "object" || inputs === null)) return null;
    const calls: QueryCall[] = [];
    for (const [index, path] of paths.entries()) {
      const procedure = procedures[path];
      if (procedure?._def.type !== "query") return null;
      const input = batch ? (inputs as Record<number, unknown> | undefined)?.[index] : inputs;
      calls.push({
        path,
        procedure,
        input: input === undefined ? undefined : transformer.input.deserialize(input),
      });
    }
    return { calls, batch };
  } catch {
    return null;
  }
}

/**
 * GET queries, which is what the typed client's reads and most scripts send, answered on node:http
 * directly: the same procedures, middlewares, error shapes, status codes, headers and body as the adapter.
 * Returns false for any request it leaves to the adapter.
 */
export function createQueryHandler<TRouter extends AnyTRPCRouter>(options: QueryHandlerOptions<TRouter>) {
  const config = options.router._def._config as TRPCRootConfig<AnyTRPCRootTypes>;

  async function answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    calls: QueryCall[],
    batch: boolean,
    signal: AbortSignal,
  ) {
    let ctx: unknown;
    let contextError: TRPCError | undefined;
    try {
      ctx = await options.createContext(req);
    } catch (cause) {
      contextError = getTRPCErrorFromUnknown(cause);
    }
    const items = await Promise.all(
      calls.map(async (call, batchIndex) => {
        try {
          if (contextError) throw contextError;
          const data = await callProcedure(call.procedure, {
            path: call.path,
            getRawInput: () => Promise.resolve(call.input),
            ctx,
            type: "query",
            signal,
            batchIndex,
          });
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          options.onError({ error, path: call.path, req });
          const shape = getTRPCErrorShape({
            config,
            ctx,
            error,
            input: call.input,
            path: call.path,
            type: "query",
          }) as TRPCErrorShape;
          return { error: shape };
        }
      }),
    );
    const status = getHTTPStatusCode(items);
    // A result as transformTRPCResponse makes it, without its two copies of the item.
    const transformed = items.map((item) =>
      "error" in item
        ? transformTRPCResponse(config, item)
        : { result: { data: config.transformer.output.serialize(item.result.data) } },
    );
    const body = JSON.stringify(batch ? transformed : transformed[0]!);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      vary: TRPC_VARY,
    });
    res.end(body);
  }

  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const parsed = parseQueryCalls(options, req);
    if (!parsed) return false;
    const { calls, batch } = parsed;
    const { signal, answered } = requestSignal(req);
    answer(req, res, calls, batch, signal).then(answered, (error: unknown) => {
      options.onError({
        error: getTRPCErrorFromUnknown(error),
        path: calls.map((c) => c.path).join(","),
        req,
      });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end();
      answered();
    });
    return true;
  };
}
