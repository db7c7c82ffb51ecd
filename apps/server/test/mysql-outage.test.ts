import type { AimoClient, AppRouter } from "@aimo/client";
import { createAimoClient, TRPCClientError } from "@aimo/client";
import { scratchConfig } from "@aimo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { readyz, startTestServer } from "./server-env";
import type { TcpProxy } from "./tcp-proxy";
import { startTcpProxy } from "./tcp-proxy";

/** Short pool timeouts, so each failure answers in about a second. */
const TIMEOUT_MS = "1000";

let proxy: TcpProxy;
let running: TestServer;
let api: AimoClient;

beforeAll(async () => {
  const mysql = scratchConfig("proxy_target");
  proxy = await startTcpProxy({ host: mysql.host, port: mysql.port });
  running = await startTestServer("server_mysql_outage", {
    MYSQL_HOST: "127.0.0.1",
    MYSQL_PORT: String(proxy.port),
    MYSQL_CONNECT_TIMEOUT_MS: TIMEOUT_MS,
    MYSQL_ACQUIRE_TIMEOUT_MS: TIMEOUT_MS,
    MYSQL_QUERY_TIMEOUT_MS: TIMEOUT_MS,
  });
  const anonymous = createAimoClient({ url: running.server.url });
  const { token } = await anonymous.auth.register.mutate({
    email: "outage@example.test",
    password: "outage password",
  });
  api = createAimoClient({ url: running.server.url, token });
  await api.memo.create.mutate({ content: "written before the outage" });
});
afterAll(async () => {
  proxy.setMode("forward");
  await running.close();
  await proxy.close();
});

/** What a call failed with: tRPC's code and the HTTP status. */
async function failureOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data } = error as TRPCClientError<AppRouter>;
  return { code: data?.code, httpStatus: data?.httpStatus };
}

async function expectRecovered() {
  proxy.setMode("forward");
  expect(await readyz(running.server)).toMatchObject({
    status: 200,
    body: {
      status: "ready",
      dependencies: { mysql: { state: "ok" }, lancedb: { state: "ok" }, storage: { state: "ok" } },
    },
  });
  const page = await api.memo.list.query({});
  expect(page.items.map((m) => m.content)).toContain("written before the outage");
}

describe.each(["silent", "reset"] as const)("MySQL behind a %s network", (mode) => {
  it("answers /readyz 503 naming MySQL, and requests 503 SERVICE_UNAVAILABLE, then recovers when the network heals", async () => {
    proxy.setMode(mode);

    const ready = await readyz(running.server);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: "not ready",
      dependencies: { mysql: { state: "unavailable" }, lancedb: { state: "ok" } },
    });
    // A silent MySQL is given up on by the pool's own timeouts (connect, acquire or statement), before the
    // readiness budget runs out.
    if (mode === "silent")
      expect(JSON.stringify(ready.body.dependencies.mysql)).toMatch(/"reason":".*(within 1000 ms|ETIMEDOUT)/);

    // A query (through the GET fast path) and a mutation (through tRPC's adapter) alike.
    const unavailable = { code: "SERVICE_UNAVAILABLE", httpStatus: 503 };
    expect(await failureOf(api.memo.list.query({}))).toEqual(unavailable);
    expect(await failureOf(api.memo.create.mutate({ content: "during the outage" }))).toEqual(unavailable);

    await expectRecovered();
  });
});
