import { createHash } from "node:crypto";

import { conceptEmbedder } from "./concepts";
import { listen, readBody, sendJson } from "./listen";

type Content = { text: string } | { image: string } | { video: string };

/**
 * DashScope's multimodal embedding on 127.0.0.1. Texts embed by their words' concepts; an image embeds as
 * the word it was taught to show (`teach`), recognised by its bytes inside the data URI.
 */
export async function startFakeDashScope(options: { concepts: string[][] }) {
  const embed = conceptEmbedder(options.concepts);
  const shows = new Map<string, string>();
  const digest = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  const requests: Content[][] = [];
  const state = { failing: false };

  const running = await listen(async (req, res) => {
    if (
      req.method !== "POST" ||
      req.url !== "/api/v1/services/embeddings/multimodal-embedding/multimodal-embedding"
    ) {
      return sendJson(res, 404, { code: "NotFound", message: "no such route" });
    }
    const body = JSON.parse((await readBody(req)).toString("utf8")) as {
      input: { contents: Content[] };
      parameters: { dimension: number };
    };
    requests.push(body.input.contents);
    if (state.failing) return sendJson(res, 500, { code: "InternalError", message: "scripted failure" });
    const embeddings = [];
    for (const [index, content] of body.input.contents.entries()) {
      let text: string;
      if ("text" in content) text = content.text;
      else if ("image" in content) {
        const match = /^data:image\/[\w.+-]+;base64,(.+)$/.exec(content.image);
        if (!match)
          return sendJson(res, 400, { code: "InvalidParameter", message: "image must be a data URI" });
        text = shows.get(digest(Buffer.from(match[1]!, "base64"))) ?? `unknown-image-${index}`;
      } else return sendJson(res, 400, { code: "InvalidParameter", message: "video is not supported here" });
      embeddings.push({
        index,
        embedding: embed(text, body.parameters.dimension),
        type: Object.keys(content)[0],
      });
    }
    sendJson(res, 200, { output: { embeddings }, usage: { input_tokens: 1 }, request_id: "fake" });
  });
  return {
    /** The value for DASHSCOPE_BASE_URL. */
    url: `${running.origin}/api/v1`,
    requests,
    state,
    /** From now on, an image with these bytes shows `word`. */
    teach(bytes: Buffer, word: string) {
      shows.set(digest(bytes), word);
    },
    close: running.close,
  };
}

export type FakeDashScope = Awaited<ReturnType<typeof startFakeDashScope>>;
