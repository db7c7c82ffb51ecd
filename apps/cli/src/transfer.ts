import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { ZipFile } from "yazl";

import type { Session } from "./session";
import { HttpError } from "./errors";
import type { Progress } from "./progress";

/** A refusal of `/export` or `/import`: `{ error: { code, message } }` with the status tRPC would give. */
async function httpError(response: Response): Promise<HttpError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return new HttpError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? `HTTP ${response.status}`,
  );
}

/** The file name the server suggests in `Content-Disposition`. */
const suggestedName = (response: Response) =>
  /filename="([^"/\\]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1];

/**
 * `GET /export` with the token, streamed to disk: to `<file>.part` first, renamed when complete, so a cut-off
 * download never leaves a broken zip under the name asked for. `target` may be a folder (the server's name is
 * used inside it) or nothing (the server's name in the current folder).
 */
export async function downloadExport(
  session: Session,
  target: string | undefined,
  progress: Progress,
): Promise<{ file: string; bytes: number }> {
  const response = await fetch(`${session.server}/export`, { headers: session.authHeaders() });
  if (!response.ok || !response.body) throw await httpError(response);
  const name = suggestedName(response) ?? "aimo-export.zip";
  const isFolder = target
    ? await stat(target).then(
        (s) => s.isDirectory(),
        () => false,
      )
    : false;
  const file = !target ? name : isFolder ? join(target, name) : target;
  const total = Number(response.headers.get("content-length")) || undefined;
  const part = `${file}.part`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      progress.update(bytes, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body), count, createWriteStream(part));
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  } finally {
    progress.stop();
  }
  await rename(part, file);
  return { file, bytes };
}

/** Names hidden in a notes folder (`.git`, `.obsidian`, `.DS_Store`) are tool state, not notes. */
const hidden = (name: string) => name.startsWith(".");

async function* filesUnder(folder: string): AsyncGenerator<string> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (hidden(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** A folder packed as one zip in a temp folder (the server takes one file); `cleanup` removes it. */
export async function zipFolder(folder: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "aimo-import-"));
  const file = join(dir, `${basename(folder) || "import"}.zip`);
  const zip = new ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  for await (const path of filesUnder(folder))
    zip.addFile(path, relative(folder, path).split("\\").join("/"));
  zip.end();
  await written;
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A multipart header's quoted value, escaped as browsers do. */
const quoted = (value: string) => value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** How often an import's progress is asked for; the server records it about once a second. */
const POLL_INTERVAL_MS = 1000;

/**
 * Polls `GET /import/sha256:<hex>` (the session of this file, before `POST /import` answers with its id) and
 * shows the items done; a 404 means the server is still reading the file, a finished session an earlier run.
 */
function watchImport(
  session: Session,
  contentHash: string,
  progress: Progress,
): (final?: { done: number; total: number }) => void {
  let asking = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    void fetch(`${session.server}/import/sha256:${contentHash}`, { headers: session.authHeaders() })
      .then(async (response) => {
        if (!response.ok) return;
        const state = (await response.json()) as { status: string; total: number; done: number };
        if (state.status === "running" && !stopped) progress.update(state.done, state.total);
      })
      .catch(() => undefined)
      .finally(() => (asking = false));
  }, POLL_INTERVAL_MS);
  return (final) => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (final) progress.update(final.done, final.total);
    progress.stop();
  };
}

/**
 * `POST /import` of one file as multipart, streamed from disk (memory stays flat for a 1 GB export) with the
 * bytes sent shown, then the server's progress through the items; answers the report once the import is done.
 */
export async function uploadImport(
  session: Session,
  file: string,
  filename: string,
  progress: { upload: Progress; items: Progress },
): Promise<unknown> {
  const size = (await stat(file)).size;
  const boundary = `aimo-${randomBytes(16).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(filename)}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let stopWatching: ReturnType<typeof watchImport> = () => {};
  async function* body() {
    yield head;
    const hash = createHash("sha256");
    let sent = 0;
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      sent += (chunk as Buffer).length;
      progress.upload.update(sent, size);
      yield chunk as Buffer;
    }
    progress.upload.stop();
    stopWatching = watchImport(session, hash.digest("hex"), progress.items);
    yield tail;
  }
  try {
    const response = await fetch(`${session.server}/import`, {
      method: "POST",
      headers: {
        ...session.authHeaders(),
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + size + tail.length),
      },
      body: Readable.from(body()),
      duplex: "half",
    });
    if (!response.ok) throw await httpError(response);
    const report = (await response.json()) as { done: number; total: number };
    stopWatching(report);
    return report;
  } finally {
    stopWatching();
  }
}
