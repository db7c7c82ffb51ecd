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

  it("keeps a connection's signal live for its later requests, and does not hand out one left with listeners", async () => {
    const signals: AbortSignal[] = [];
    const router = t.router({
      plain: t.procedure.query(({ signal }) => signals.push(signal!)),
      listening: t.procedure.query(({ signal }) => {
        signal!.addEventListener("abort", () => undefined);
        return signals.push(signal!);
      }),
    });
    const url = await listen(createTrpcHandler({ router, fastPath: true, ...handlerOptions }));
    const closed = new Promise<void>((resolve) =>
      servers.at(-1)!.once("connection", (socket) => socket.once("close", () => resolve())),
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        http
          .get(`${url}/trpc/${path}`, { agent }, (res) =>
            res.resume().once("end", () => resolve(res.statusCode)),
          )
          .once("error", reject);
      });
    for (const path of ["plain", "plain", "listening", "plain"]) expect(await get(path)).toBe(200);
    expect(signals[1]).toBe(signals[0]);
    expect(signals[2]).toBe(signals[0]);
    expect(signals[3]).not.toBe(signals[2]);
    agent.destroy();
    await closed;
    // Every answer was sent before the connection closed: no request's client left early.
    expect(signals.map((signal) => signal.aborted)).toEqual([false, false, false, false]);
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
