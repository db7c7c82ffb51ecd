import { appRouter } from "@aimo/api";
import type { AimoClient } from "@aimo/client";
import { createAimoClient, uploadAttachment } from "@aimo/client";
import type { AnyTRPCProcedure } from "@trpc/server";
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";

import type { RunningServer } from "../../src/app";
import type { TestServer } from "../server-env";
import { startTestServer } from "../server-env";

import type { FuzzPools } from "./zod-arbitrary";
import { inputArbitrary } from "./zod-arbitrary";

/**
 * Every procedure of appRouter, called over HTTP with inputs generated from its own zod schema: valid ones,
 * another user's ids, boundary values, and invalid ones at any depth. No answer may be a 5xx, the server must
 * keep answering, and nothing of the other user may show. `FUZZ_RUNS=N` (per procedure) and `FUZZ_SEED` for
 * longer or other runs; `pnpm test` runs a fixed seed and a small count.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
/** In everything the victim owns, so any leak of it is visible in an answer. */
const MARKER = "VICTIM-7f3b";

let running: TestServer;
let server: RunningServer;

interface Account {
  token: string;
  uid: string;
  client: AimoClient;
}
let caller: Account;
/** For procedures that end every session of their user (logoutEverywhere, changePassword). */
let disposable: Account;
let victimIds: string[];
let callerData: Awaited<ReturnType<typeof populate>>;
let victimData: Awaited<ReturnType<typeof populate>>;
let victimClient: AimoClient;
let victimBefore: unknown;

let signUps = 0;
async function signUp(nickname: string): Promise<Account> {
  const anonymous = createAimoClient({ url: server.url });
  const { token, user } = await anonymous.auth.register.mutate({
    email: `fuzz${++signUps}@example.test`,
    password: "fuzz password",
    nickname,
  });
  return { token, uid: user.uid, client: createAimoClient({ url: server.url, token }) };
}

/** One of each thing a user owns, named after `label`: their ids by kind, and a cursor. */
async function populate(account: Account, label: string) {
  const { client, token } = account;
  const category = await client.category.create.mutate({ name: `${label} category` });
  const tag = await client.tag.create.mutate({ name: `${label} tag` });
  const first = await client.memo.create.mutate({
    content: `${label} first memo`,
    categoryId: category.id,
    tagNames: [`${label} tag`],
  });
  const second = await client.memo.create.mutate({ content: `${label} second memo` });
  await client.relation.link.mutate({ sourceMemoId: first.id, targetMemoId: second.id });
  const conversation = await client.ai.conversations.create.mutate({ title: `${label} conversation` });
  const rule = await client.pushRule.create.mutate({
    name: `${label} rule`,
    pushTime: 8,
    contentType: "daily_pick",
    channels: [{ type: "meow", nickname: `${label}-meow` }],
  });
  const file = await uploadAttachment(
    { url: server.url, token },
    new Blob([`${label} notes`], { type: "text/plain" }),
    `${label}.txt`,
  );
  const apiToken = await client.auth.createToken.mutate({ name: `${label} token` });
  const { nextCursor } = await client.memo.list.query({ limit: 1 });
  const ids: Record<string, string[]> = {
    category: [category.id],
    tag: [tag.id],
    memo: [first.id, second.id],
    conversation: [conversation.id],
    pushRule: [rule.id],
    attachment: [file.id],
    apiToken: [apiToken.info.id],
    user: [account.uid],
  };
  return { ids, cursors: nextCursor ? [nextCursor] : [] };
}

/** The kind of id a field takes, by its name; `id` is the kind of its router. */
const FIELD_KINDS: Record<string, string> = {
  memoId: "memo",
  sourceMemoId: "memo",
  targetMemoId: "memo",
  linkedMemoIds: "memo",
  categoryId: "category",
  tagId: "tag",
  tagIds: "tag",
  attachmentId: "attachment",
  attachmentIds: "attachment",
  conversationId: "conversation",
};
const ROUTER_KINDS: Record<string, string> = { ai: "conversation", auth: "apiToken", relation: "memo" };

function kindOf(path: string, field: string): string {
  const router = path.split(".")[0]!;
  return FIELD_KINDS[field] ?? ROUTER_KINDS[router] ?? router;
}

/** What the victim can read of their own data; compared before and after the run. */
async function victimView(victim: AimoClient) {
  return {
    memos: await victim.memo.list.query({ limit: 100 }),
    categories: await victim.category.list.query(),
    tags: await victim.tag.list.query(),
    conversations: await victim.ai.conversations.list.query(),
    rules: await victim.pushRule.list.query(),
    attachments: await victim.attachment.list.query(),
    relations: await victim.relation.graph.query(),
  };
}

beforeAll(async () => {
  running = await startTestServer("server_fuzz", {
    // Push sends go nowhere: a closed local port answers at once.
    MEOW_BASE_URL: "http://127.0.0.1:1",
  });
  ({ server } = running);
  const victim = await signUp(`${MARKER} nickname`);
  caller = await signUp("caller");
  disposable = await signUp("disposable");
  victimData = await populate(victim, MARKER);
  callerData = await populate(caller, "caller");
  victimIds = Object.values(victimData.ids).flat();
  victimClient = victim.client;
  victimBefore = await victimView(victim.client);
}, 120_000);
afterAll(() => running.close());

interface Answer {
  status: number;
  text: string;
}

/**
 * Superjson, as the typed client sends it; plain JSON under `json` for what superjson refuses to encode (keys
 * such as `constructor`), which a hostile client can send all the same.
 */
function encode(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input }, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    );
  }
}

/** Queries as GET, mutations as POST, as the typed client does. */
async function send(path: string, type: string, token: string, encoded: string | undefined): Promise<Answer> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const response =
    type === "query"
      ? await fetch(
          `${server.url}/trpc/${path}${encoded === undefined ? "" : `?input=${encodeURIComponent(encoded)}`}`,
          { headers },
        )
      : await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers, body: encoded });
  return { status: response.status, text: await response.text() };
}

/** No 5xx, and no mark of the victim unless the request itself carried it (an id echoed in an error). */
function expectSafe(answer: Answer, request: string | undefined) {
  expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
  expect(answer.text).not.toContain(MARKER);
  for (const id of victimIds) {
    if (!request?.includes(id)) expect(answer.text).not.toContain(id);
  }
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>);
/** Ids for a field: mostly the caller's of the right kind (to get past the lookup), the victim's, any other. */
function poolsFor(path: string): FuzzPools {
  return {
    idsFor: (field) => {
      const kind = kindOf(path, field);
      const own = callerData.ids[kind] ?? [];
      const other = victimData.ids[kind] ?? [];
      const rest = [...Object.values(callerData.ids).flat(), ...victimIds, "m0000000000000000000000000", "x"];
      return [...Array.from({ length: 12 }, () => own).flat(), ...other, ...other, ...rest];
    },
    cursors: [...callerData.cursors, ...victimData.cursors],
  };
}

const tokenFor = (path: string) =>
  path === "auth.logoutEverywhere" || path === "auth.changePassword" ? disposable.token : caller.token;

describe("fuzzing every procedure over HTTP", () => {
  it("covers every procedure of appRouter", () => {
    expect(procedures.length).toBeGreaterThan(50);
  });

  it.each(procedures.map(([path, procedure]) => [path, procedure] as const))(
    "%s never answers 5xx nor shows another user's data",
    async (path, procedure) => {
      const schema = procedure._def.inputs[0] as z.ZodType | undefined;
      const inputs = schema
        ? fc.oneof(inputArbitrary(schema, poolsFor(path), "valid"), inputArbitrary(schema, poolsFor(path)))
        : fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 1 }));
      await fc.assert(
        fc.asyncProperty(inputs, async (input) => {
          const encoded = encode(input);
          expectSafe(await send(path, procedure._def.type, tokenFor(path), encoded), encoded);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    Math.max(30_000, RUNS * 2_000),
  );

  it("answers malformed envelopes with 4xx and pollutes no prototype", async () => {
    const envelopes = [
      "{",
      "null",
      "[]",
      '{"json":{"__proto__":{"polluted":true}}}',
      '{"json":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"json":{"a":{}},"meta":{"values":{"__proto__.polluted":["undefined"]}}}',
      '{"json":{"a":"1"},"meta":{"values":{"a":["bigint"]}}}',
      '{"json":"x","meta":{"values":["Date"]}}',
      '{"json":1,"meta":{"values":[["custom","nope"]]}}',
      '{"json":{"a":{}},"meta":{"referentialEqualities":{"a":["constructor.prototype"]}}}',
    ];
    for (const [path, procedure] of procedures) {
      for (const envelope of envelopes) {
        expectSafe(await send(path, procedure._def.type, tokenFor(path), envelope), envelope);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const batch = await fetch(
      `${server.url}/trpc/${Array.from({ length: 51 }, () => "system.health").join(",")}?batch=1`,
    );
    expect(batch.status).toBe(400);
  }, 120_000);

  it("keeps answering afterwards, and the victim's data is as it was", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await caller.client.user.get.query()).uid).toBe(caller.uid);
    expect(await victimView(victimClient)).toEqual(victimBefore);
  });
});
