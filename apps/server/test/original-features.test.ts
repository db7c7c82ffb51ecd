import type { AimoClient } from "@aimo/client";
import { createAimoClient, TRPCClientError, uploadAttachment } from "@aimo/client";
import type { ChatScript, FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi, tinyPng } from "@aimo/fake-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";

let test: TestServer;
let openai: FakeOpenAi;
const script = (): ChatScript => ({ pieces: ['["kyoto", "Temples"]'] });

beforeAll(async () => {
  openai = await startFakeOpenAi({ chat: () => script(), concepts: [["kyoto", "temples", "shrine"]] });
  test = await startTestServer("server_original_features", {
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: "fake-chat",
    EMBEDDING_RETRIES: "0",
  });
});
afterAll(async () => {
  await test.close();
  await openai.close();
});

let users = 0;
async function signUp(): Promise<{ uid: string; token: string; client: AimoClient }> {
  const anonymous = createAimoClient({ url: test.server.url });
  const { user, token } = await anonymous.auth.register.mutate({
    email: `original${++users}@example.test`,
    password: "original features",
  });
  return { uid: user.uid, token, client: createAimoClient({ url: test.server.url, token }) };
}

/** A tRPC call as a plain HTTP request, for its status. */
function call(path: string, input: unknown, token?: string) {
  const headers = {
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const body = JSON.stringify({ json: input });
  return path.startsWith("ai.") || path.startsWith("attachment.update")
    ? fetch(`${test.server.url}/trpc/${path}`, { method: "POST", headers, body })
    : fetch(`${test.server.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers });
}

describe("the original AIMO's features over HTTP", () => {
  it("lists a user's public memos and picks a random one without a token", async () => {
    const { uid, client } = await signUp();
    const shown = await client.memo.create.mutate({ content: "shown to all", isPublic: true });
    await client.memo.create.mutate({ content: "kept to myself" });
    const anyone = createAimoClient({ url: test.server.url });
    const { items } = await anyone.memo.listPublic.query({ uid });
    expect(items.map((m) => [m.id, m.content])).toEqual([[shown.id, "shown to all"]]);
    expect((await anyone.memo.randomPublic.query({ uid })).id).toBe(shown.id);
    expect((await call("memo.listPublic", { uid, limit: 0 })).status).toBe(400);
    expect((await call("memo.randomPublic", { uid: "nobody-here" })).status).toBe(404);
  });

  it("suggests tags from the nearest memos and the chat model, creating none", async () => {
    const { token, client } = await signUp();
    await client.memo.create.mutate({ content: "Kyoto temples at dawn", tagNames: ["kyoto"] });
    const tagsBefore = await client.tag.list.query();
    const { tags, degraded } = await client.ai.suggestTags.mutate({ content: "A shrine in Kyoto" });
    expect(degraded).toBe(false);
    expect(tags[0]).toMatchObject({ name: "kyoto", tagId: tagsBefore[0]!.id, from: ["similar", "model"] });
    expect(tags[1]).toEqual({ name: "Temples", score: 0.5, from: ["model"] });
    expect(await client.tag.list.query()).toEqual(tagsBefore);
    expect((await call("ai.suggestTags", { content: "" }, token)).status).toBe(400);
    expect((await call("ai.suggestTags", { content: "x" })).status).toBe(401);
  });

  it("renames an attachment; another user's answers NOT_FOUND", async () => {
    const owner = await signUp();
    const options = { url: test.server.url, token: owner.token };
    const cat = await uploadAttachment(
      options,
      new Blob([tinyPng(3, 2, [1, 2, 3])], { type: "image/png" }),
      "a.png",
    );
    const renamed = await owner.client.attachment.update.mutate({ id: cat.id, filename: "cat.png" });
    expect(renamed).toMatchObject({ id: cat.id, filename: "cat.png", width: 3, height: 2 });
    const intruder = await signUp();
    const refused = await intruder.client.attachment.update
      .mutate({ id: cat.id, filename: "mine.png" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    expect((await owner.client.attachment.get.query({ id: cat.id })).filename).toBe("cat.png");
    expect((await call("attachment.update", { id: cat.id, duration: 3 }, owner.token)).status).toBe(400);
  });
});
