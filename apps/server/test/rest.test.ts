import { createAimoClient } from "@aimo/client";
import { responseSchemas, restRoutes } from "@aimo/rest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";

const APP_ORIGIN = "http://app.example.test";

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer("server_rest", { CORS_ORIGINS: APP_ORIGIN });
});
afterAll(async () => {
  await test.close();
});

let users = 0;
/** A new user's personal API token, as a script would use it. */
async function apiToken(): Promise<string> {
  const { token } = await createAimoClient({ url: test.server.url }).auth.register.mutate({
    email: `rest${++users}@example.test`,
    password: "rest routes",
  });
  const client = createAimoClient({ url: test.server.url, token });
  return (await client.auth.createToken.mutate({ name: "rest" })).token;
}

interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A REST call with plain fetch; `body` is sent as JSON, a string as it is. */
async function rest<T = unknown>(
  method: string,
  path: string,
  { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const res = await fetch(`${test.server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

interface Memo {
  id: string;
  content: string;
  tags: { name: string }[];
  isPublic: boolean;
  createdAt: number;
}
interface ErrorBody {
  error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] };
}

describe("REST under /api/v1", () => {
  it("creates a memo with a personal API token and finds it by search, by id and in the list", async () => {
    const token = await apiToken();
    const created = await rest<Memo>("POST", "/memos", {
      token,
      body: { content: "Kyoto temples at dawn", tagNames: ["travel"] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(created.body).toMatchObject({ content: "Kyoto temples at dawn", tags: [{ name: "travel" }] });
    expect(created.body).not.toHaveProperty("json");
    expect(typeof created.body.createdAt).toBe("number");
    const { id } = created.body;

    const found = await rest<{ hits: { memo: Memo }[] }>(
      "GET",
      "/search?query=temples&mode=keyword&limit=5",
      {
        token,
      },
    );
    expect(found.status).toBe(200);
    expect(found.body.hits.map((hit) => hit.memo.id)).toEqual([id]);

    expect((await rest<Memo>("GET", `/memos/${id}`, { token })).body).toMatchObject({ id, isPublic: false });
    const page = await rest<{ items: Memo[] }>("GET", "/memos?limit=5&isPublic=false&order=oldest", {
      token,
    });
    expect(page.body.items.map((memo) => memo.id)).toEqual([id]);

    const updated = await rest<Memo>("PATCH", `/memos/${id}`, { token, body: { isPublic: true } });
    expect(updated).toMatchObject({
      status: 200,
      body: { id, isPublic: true, content: "Kyoto temples at dawn" },
    });
    const tags = await rest<{ name: string }[]>("GET", "/tags", { token });
    expect(tags.body.map((tag) => tag.name)).toEqual(["travel"]);

    expect((await rest("DELETE", `/memos/${id}`, { token })).status).toBeLessThan(300);
    expect((await rest("GET", `/memos/${id}`, { token })).status).toBe(404);
  });

  it("links memos, manages tags and categories, and gives an export link", async () => {
    const token = await apiToken();
    const a = (await rest<Memo>("POST", "/memos", { token, body: { content: "first" } })).body;
    const b = (await rest<Memo>("POST", "/memos", { token, body: { content: "second" } })).body;
    expect((await rest("PUT", `/memos/${a.id}/links/${b.id}`, { token })).status).toBeLessThan(300);
    const backlinks = await rest<{ id: string }[]>("GET", `/memos/${b.id}/backlinks`, { token });
    expect(backlinks.body.map((memo) => memo.id)).toEqual([a.id]);

    const category = await rest<{ id: string; name: string }>("POST", "/categories", {
      token,
      body: { name: "Work" },
    });
    expect(category).toMatchObject({ status: 201, body: { name: "Work" } });
    const renamed = await rest("PATCH", `/categories/${category.body.id}`, { token, body: { name: "Job" } });
    expect(renamed).toMatchObject({ status: 200, body: { name: "Job" } });
    const duplicate = await rest<ErrorBody>("POST", "/categories", { token, body: { name: "Job" } });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });

    const link = await rest<{ url: string; expiresAt: number }>("POST", "/export-link", { token });
    expect(link.status).toBe(200);
    expect(link.body.url).toContain("/export?");
  });

  it("answers bad input with 4xx and the field errors, never 500", async () => {
    const token = await apiToken();
    const refused = await rest<ErrorBody>("POST", "/memos", { token, body: { content: 5 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("BAD_REQUEST");
    expect(refused.body.error.issues?.[0]?.path).toEqual(["content"]);

    const unknownField = await rest<ErrorBody>("POST", "/memos", {
      token,
      body: { content: "x", colour: 1 },
    });
    expect(unknownField.status).toBe(400);
    const badLimit = await rest<ErrorBody>("GET", "/memos?limit=1000", { token });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.issues?.[0]?.path).toEqual(["limit"]);

    const statuses = await Promise.all([
      rest("GET", "/memos?limit=ten", { token }),
      rest("GET", "/memos?limit=1&limit=2", { token }),
      rest("GET", "/search", { token }),
      rest("GET", `/memos/${"x".repeat(300)}`, { token }),
      rest("GET", "/memos/%E0%A4%A", { token }),
      rest("POST", "/memos", { token, body: '{"content":"\\ud800"}' }),
      rest("POST", "/memos", { token, body: "{not json" }),
      rest("POST", "/memos", { token, body: "[1, 2]" }),
      rest("POST", "/memos?content=x", { token, body: { content: "x" } }),
      rest("POST", "/memos", { token, body: "content=x", headers: { "content-type": "text/plain" } }),
      rest("POST", "/memos", { token, body: { content: "x".repeat(5_000_000) } }),
      rest("GET", "/tags?unexpected=1", { token }),
      rest("POST", "/export-link", { token, body: { everything: true } }),
    ]).then((answers) => answers.map((answer) => answer.status));
    expect(statuses).toEqual([400, 400, 400, 400, 404, 400, 400, 400, 400, 415, 413, 400, 400]);

    const unknownRoute = await rest<ErrorBody>("GET", "/nothing-here", { token });
    expect(unknownRoute).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    const wrongMethod = await rest("PUT", "/memos", { token, body: {} });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });

  it("does not show another user's memo", async () => {
    const owner = await apiToken();
    const secret = (await rest<Memo>("POST", "/memos", { token: owner, body: { content: "owner's secret" } }))
      .body;
    const stranger = await apiToken();

    const read = await rest<ErrorBody>("GET", `/memos/${secret.id}`, { token: stranger });
    expect(read).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect(JSON.stringify(read.body)).not.toContain("owner's secret");
    expect(
      (await rest("PATCH", `/memos/${secret.id}`, { token: stranger, body: { content: "mine" } })).status,
    ).toBe(404);
    expect((await rest("DELETE", `/memos/${secret.id}`, { token: stranger })).status).toBe(404);
    const list = await rest<{ items: Memo[] }>("GET", "/memos", { token: stranger });
    expect(list.body.items).toEqual([]);
    const search = await rest<{ hits: unknown[] }>("GET", "/search?query=secret&mode=keyword", {
      token: stranger,
    });
    expect(search.body.hits).toEqual([]);
    expect((await rest<Memo>("GET", `/memos/${secret.id}`, { token: owner })).body.content).toBe(
      "owner's secret",
    );
  });

  it("answers every read without path fields as its document's schema says", async () => {
    const token = await apiToken();
    const memo = (
      await rest<Memo>("POST", "/memos", {
        token,
        body: { content: "a memo", tagNames: ["t"], isPublic: true },
      })
    ).body;
    await rest("POST", "/categories", { token, body: { name: "c" } });
    const queries: Record<string, string> = {
      "/search": "?query=memo",
      "/attachments/search": "?query=anything",
      "/memos/activity": "?from=2026-01-01&to=2026-03-01",
    };
    const reads = restRoutes.filter((route) => route.method === "GET" && !route.path.includes("{"));
    const answers = await Promise.all(
      reads.map(async (route) => {
        const answer = await rest("GET", route.path + (queries[route.path] ?? ""), { token });
        if (answer.status === 200)
          responseSchemas[route.procedure as keyof typeof responseSchemas].parse(answer.body);
        return [route.path, answer.status];
      }),
    );
    // Image search needs a multimodal embedding model, which this server has none of.
    const expected = reads.map((route) => [route.path, route.path === "/attachments/search" ? 412 : 200]);
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(expected));
    responseSchemas["memo.get"].parse((await rest("GET", `/memos/${memo.id}`, { token })).body);
  });

  it("shows public memos without a token, and private ones to no one else", async () => {
    const token = await apiToken();
    const { uid } = (await rest<{ uid: string }>("GET", "/me", { token })).body;
    const shared = (
      await rest<Memo>("POST", "/memos", { token, body: { content: "shared", isPublic: true } })
    ).body;
    const kept = (await rest<Memo>("POST", "/memos", { token, body: { content: "kept" } })).body;

    expect(await rest<Memo>("GET", `/public/memos/${shared.id}`)).toMatchObject({
      status: 200,
      body: { id: shared.id, content: "shared" },
    });
    expect((await rest("GET", `/public/memos/${kept.id}`)).status).toBe(404);
    const page = await rest<{ items: Memo[] }>("GET", `/public/users/${uid}/memos?limit=10`);
    expect(page.body.items.map((memo) => memo.content)).toEqual(["shared"]);
    expect((await rest<Memo>("GET", `/public/memos/random?uid=${uid}`)).body.id).toBe(shared.id);
  });

  it("answers 401 without a token or with a bad one", async () => {
    for (const token of [undefined, "aimo_pat_not-a-real-token"]) {
      const answer = await rest<ErrorBody>("GET", "/memos", { token });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="aimo"');
      expect((await rest("POST", "/memos", { token, body: { content: "x" } })).status).toBe(401);
    }
  });

  it("allows the REST methods to the origins of CORS_ORIGINS", async () => {
    const preflight = await fetch(`${test.server.url}/api/v1/memos/some-id`, {
      method: "OPTIONS",
      headers: {
        origin: APP_ORIGIN,
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")?.split(",")).toEqual(
      expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    );
  });
});

describe("the OpenAPI document and the docs page", () => {
  it("serves a valid OpenAPI 3.1 document of the routes", async () => {
    const res = await fetch(`${test.server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, object> };
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/memos", "/memos/{id}", "/search"]));
  });

  it("serves a docs page that needs nothing from elsewhere", async () => {
    const res = await fetch(`${test.server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const page = await res.text();
    expect(page).toContain("AIMO REST API");
    expect(page).toContain("/api/openapi.json");
    expect(page).not.toMatch(/<script|src=|https?:\/\//i);
  });
});
