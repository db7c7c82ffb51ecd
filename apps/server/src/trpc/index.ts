import type http from "node:http";

import type { AnyTRPCRouter, inferRouterContext, TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";

import { declaresOversizedBody, refuseOversizedBody } from "./body-limit";
import { createQueryHandler } from "./fast-get";

const ORIGIN_VARY = new Headers([["vary", "origin"]]);

/** Where tRPC is served. */
export const TRPC_BASE_PATH = "/trpc/";
const MAX_BATCH_SIZE = 50;

export interface TrpcHandlerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** Whether the fast paths of this folder answer what they can (TRPC_FAST_PATH); off, the adapter answers all. */
  fastPath: boolean;
  createContext: (req: http.IncomingMessage) => Promise<inferRouterContext<TRouter>>;
  onError: (opts: { error: TRPCError; path?: string; req: http.IncomingMessage }) => void;
  /** Largest request body in bytes: a declared one above it is refused unread, a streamed one where it passes. */
  maxBodySize: number;
}

/**
 * The one door to tRPC over HTTP: tRPC's standalone adapter, with the fast paths of this folder in front of it.
 * Every bypass of the adapter lives in this folder, names the upstream file and version it mirrors, has a
 * measured reason, and is compared with the adapter by test/trpc-equivalence.test.ts. The body-size refusal
 * (body-limit.ts) is a limit, not a fast path: it applies with TRPC_FAST_PATH=false too.
 */
export function createTrpcHandler<TRouter extends AnyTRPCRouter>(options: TrpcHandlerOptions<TRouter>) {
  const adapter = createHTTPHandler({
    router: options.router,
    basePath: TRPC_BASE_PATH,
    maxBatchSize: MAX_BATCH_SIZE,
    maxBodySize: options.maxBodySize,
    createContext: ({ req }) => options.createContext(req),
    onError: options.onError,
    // Appended to the adapter's own "trpc-accept, accept": TRPC_VARY, as the fast path writes it.
    responseMeta: () => ({ headers: ORIGIN_VARY }),
  });
  const answer = options.fastPath ? withFastPath(options, adapter) : adapter;
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (declaresOversizedBody(req, options.maxBodySize))
      return refuseOversizedBody(options.router, res, options.maxBodySize);
    answer(req, res);
  };
}

function withFastPath<TRouter extends AnyTRPCRouter>(
  options: TrpcHandlerOptions<TRouter>,
  adapter: http.RequestListener,
): http.RequestListener {
  // The fast path finds procedures in the router's flat record, which holds a lazy() router's only once loaded.
  const lazy = Object.keys(options.router._def.lazy);
  if (lazy.length > 0)
    throw new Error(`the tRPC fast path does not support lazy routers: ${lazy.join(", ")}`);
  const queryHandler = createQueryHandler({
    ...options,
    basePath: TRPC_BASE_PATH,
    maxBatchSize: MAX_BATCH_SIZE,
  });
  return (req, res) => {
    if (!queryHandler(req, res)) adapter(req, res);
  };
}
