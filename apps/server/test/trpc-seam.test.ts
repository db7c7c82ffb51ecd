import http from "node:http";
import type { AddressInfo } from "node:net";

import { initTRPC, lazy } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";

import { createTrpcHandler } from "../src/trpc";

const t = initTRPC.create();
const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const handlerOptions = {
  createContext: () => Promise.resolve({}),
  onError: () => undefined,
  maxBodySize: 1024,
};

describe("the tRPC seam", () => {
  it("aborts a fast-path query's signal when its client leaves, as the adapter does", async () => {
    let onCall!: (signal: AbortSignal | undefined) => void;
    const called = new Promise<AbortSignal | undefined>((resolve) => (onCall = resolve));
    let onLeave!: () => void;
    const left = new Promise<void>((resolve) => (onLeave = resolve));
    const router = t.router({
      wait: t.procedure.query(
        ({ signal }) =>
          new Promise<string>((resolve) => {
            signal?.addEventListener("abort", () => {
              onLeave();
              resolve("left");
            });
            onCall(signal);
          }),
      ),
    });
    const url = await listen(createTrpcHandler({ router, fastPath: true, ...handlerOptions }));
    const client = new AbortController();
    const request = fetch(`${url}/trpc/wait`, { signal: client.signal });
    const signal = await called;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
    client.abort();
    await expect(request).rejects.toThrow();
    await left;
    expect(signal!.aborted).toBe(true);
  });

  it("refuses a lazy router at start-up, whose procedures the fast path could not find", () => {
    const router = t.router({
      later: lazy(() => Promise.resolve(t.router({ ping: t.procedure.query(() => "pong") }))),
    });
    expect(() => createTrpcHandler({ router, fastPath: true, ...handlerOptions })).toThrow(
      /lazy routers: later/,
    );
    expect(() => createTrpcHandler({ router, fastPath: false, ...handlerOptions })).not.toThrow();
  });
});
