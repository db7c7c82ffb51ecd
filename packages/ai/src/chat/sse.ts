/**
 * The `data` of each server-sent event in a byte stream (multi-line data joined by newlines; comments and
 * other fields ignored), as the SSE spec reads them.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const lines = function* (final: boolean) {
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
    }
    if (final && buffer) yield buffer;
  };
  const read = function* (line: string) {
    if (line === "") {
      if (data.length) yield data.join("\n");
      data = [];
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) return;
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field === "data") data.push(colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, ""));
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) yield* read(line);
  }
  buffer += decoder.decode();
  for (const line of lines(true)) yield* read(line);
  yield* read("");
}
