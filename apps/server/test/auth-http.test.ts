import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";
import { serverEnvSchema } from "../src/env";

import { testServerEnv } from "./server-env";

const mysql = scratchConfig("server_auth_http");
let lancedbDir: string;
let server: RunningServer;

beforeAll(async () => {
  lancedbDir = await mkdtemp(join(tmpdir(), "aimo-auth-http-"));
  server = await startServer(
    // One reverse proxy in front: the client is the last address it appended to X-Forwarded-For.
    testServerEnv(mysql, { LANCEDB_URI: lancedbDir, EMBEDDING_DIMENSIONS: "64", TRUST_PROXY: "1" }),
    pino({ level: "silent" }),
  );
  await login({ email: "victim@example.test", password: "victim password" }, "auth.register");
});
afterAll(async () => {
  await server.stop();
  await dropDatabase(mysql);
  await rm(lancedbDir, { recursive: true, force: true });
});

/** The tRPC codes of a POST, one per call (a batch when several inputs are given). */
async function login(
  input: object | object[],
  path = "auth.login",
  forwardedFor?: string,
): Promise<string[]> {
  const batch = Array.isArray(input);
  const inputs = batch ? (input as object[]) : [input];
  const response = await fetch(
    `${server.url}/trpc/${inputs.map(() => path).join(",")}${batch ? "?batch=1" : ""}`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
      },
      body: JSON.stringify(
        batch ? Object.fromEntries(inputs.map((json, i) => [i, { json }])) : { json: inputs[0] },
      ),
    },
  );
  const body: unknown = await response.json();
  const results = (batch ? body : [body]) as { error?: { json: { data: { code: string } } } }[];
  return results.map((result) => result.error?.json.data.code ?? "OK");
}

const wrong = { email: "victim@example.test", password: "a guess" };
const right = { email: "victim@example.test", password: "victim password" };

describe("login throttling over HTTP behind a trusted proxy", () => {
  it("checks at most five passwords of one batch", async () => {
    const codes = await login(
      Array.from({ length: 40 }, () => wrong),
      "auth.login",
      "203.0.113.50",
    );
    expect(codes.filter((code) => code === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(35);
  });

  it("keys on the client the proxy saw, so a stranger locks out only themselves", async () => {
    // Whatever a client writes into X-Forwarded-For itself comes before what the proxy appended.
    for (let i = 0; i < 5; i++)
      expect(await login(wrong, "auth.login", `198.51.100.${i}, 203.0.113.60`)).toEqual(["UNAUTHORIZED"]);
    expect(await login(right, "auth.login", "192.0.2.1, 203.0.113.60")).toEqual(["TOO_MANY_REQUESTS"]);
    expect(await login(right, "auth.login", "203.0.113.61")).toEqual(["OK"]);
  });
});

describe("sessions over HTTP", () => {
  it("answers 401 to every session's token after logoutEverywhere", async () => {
    const register = await fetch(`${server.url}/trpc/auth.register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: "leaving@example.test", password: "leaving password" } }),
    });
    const { token } = ((await register.json()) as { result: { data: { json: { token: string } } } }).result
      .data.json;
    const call = (path: string, method = "GET") =>
      fetch(`${server.url}/trpc/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
    expect((await call("memo.list")).status).toBe(200);
    expect((await call("auth.logoutEverywhere", "POST")).status).toBe(200);
    expect((await call("memo.list")).status).toBe(401);
  });
});

describe("TRUST_PROXY", () => {
  const trust = (setting: string) => serverEnvSchema.shape.TRUST_PROXY.parse(setting);

  it("trusts no proxy when unset, the nearest hops for a number, and listed addresses and CIDRs", () => {
    expect(trust("")("127.0.0.1", 0)).toBe(false);
    expect(trust("2")("10.0.0.1", 1)).toBe(true);
    expect(trust("2")("10.0.0.1", 2)).toBe(false);
    const listed = trust("loopback, 10.0.0.0/8");
    expect(listed("127.0.0.1", 0)).toBe(true);
    expect(listed("10.1.2.3", 1)).toBe(true);
    expect(listed("203.0.113.1", 0)).toBe(false);
  });

  it("refuses what is neither a hop count nor addresses", () => {
    expect(() => trust("true")).toThrow(/hop count/);
    expect(() => trust("10.0.0.0/40")).toThrow(/hop count/);
  });
});
