import type http from "node:http";

import type { AnyTRPCRootTypes, AnyTRPCRouter, TRPCErrorShape, TRPCRootConfig } from "@trpc/server";
import { getTRPCErrorShape, transformTRPCResponse, TRPCError } from "@trpc/server";

/** Whether the request's Content-Length already says its body is over the limit. */
export const declaresOversizedBody = (req: http.IncomingMessage, limit: number) =>
  Number(req.headers["content-length"] ?? 0) > limit;

/**
 * 413 in tRPC's error shape, before the body is read: a client that declared 50 MB gets its answer before sending
 * any of it (and the server closes the connection, see unread-body.ts).
 */
export function refuseOversizedBody(router: AnyTRPCRouter, res: http.ServerResponse, limit: number): void {
  const config = router._def._config as TRPCRootConfig<AnyTRPCRootTypes>;
  const error = new TRPCError({
    code: "PAYLOAD_TOO_LARGE",
    message: `The request body is larger than ${limit} bytes`,
  });
  const shape = getTRPCErrorShape({
    config,
    error,
    type: "unknown",
    path: undefined,
    input: undefined,
    ctx: undefined,
  }) as TRPCErrorShape;
  const body = JSON.stringify(transformTRPCResponse(config, { error: shape }));
  res.writeHead(413, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}
