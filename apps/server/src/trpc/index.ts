import type http from "node:http";

import type { AppRouter, Context } from "@aimo/api";
import type { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";

import { declaresOversizedBody, refuseOversizedBody } from "./body-limit";
import { bufferResponse, wantsStream } from "./buffer";
import { createQueryHandler } from "./fast-get";

/** Where tRPC is served. */
export const TRPC_BASE_PATH = "/trpc/";
const MAX_BATCH_SIZE = 50;

export interface TrpcHandlerOptions {
  router: AppRouter;
  createContext: (req: http.IncomingMessage) => Promise<Context>;
  onError: (opts: { error: TRPCError; path?: string; req: http.IncomingMessage }) => void;
  /** Largest request body in bytes: a declared one above it is refused unread, a streamed one where it passes. */
  maxBodySize: number;
}

/**
 * The one door to tRPC over HTTP: tRPC's standalone adapter, with the fast paths of this folder in front of it.
 */
export function createTrpcHandler(options: TrpcHandlerOptions) {
  const queryHandler = createQueryHandler({
    ...options,
    basePath: TRPC_BASE_PATH,
    maxBatchSize: MAX_BATCH_SIZE,
  });
  const adapter = createHTTPHandler({
    router: options.router,
    basePath: TRPC_BASE_PATH,
    maxBatchSize: MAX_BATCH_SIZE,
    maxBodySize: options.maxBodySize,
    createContext: ({ req }) => options.createContext(req),
    onError: options.onError,
  });
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (declaresOversizedBody(req, options.maxBodySize))
      return refuseOversizedBody(options.router, res, options.maxBodySize);
    if (queryHandler(req, res)) return;
    if (!wantsStream(req)) bufferResponse(res);
    adapter(req, res);
  };
}
