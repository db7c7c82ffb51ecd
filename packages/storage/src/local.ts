import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, mkdir, open, opendir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { assertSafeKey, ObjectNotFoundError } from "./errors";
import type { ObjectStorage } from "./types";

/** The ending of files still being written: never listed as objects. */
const PARTIAL = ".partial";

const isErrno = (error: unknown, code: string) => (error as NodeJS.ErrnoException | undefined)?.code === code;

/** Attachments in a local directory; downloads are served by the server through signed URLs. */
export function createLocalStorage(root: string): ObjectStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    assertSafeKey(key);
    return join(base, key);
  };

  return {
    location: { type: "local" },
    async putFile(key, filePath) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(filePath, target);
      } catch (error) {
        if (!isErrno(error, "EXDEV")) throw error;
        // Another file system: copy beside the target, then rename, so a reader never sees half a file.
        const partial = `${target}${PARTIAL}`;
        try {
          await copyFile(filePath, partial);
          await rename(partial, target);
        } catch (copyError) {
          await rm(partial, { force: true });
          throw copyError;
        }
      }
    },
    async putStream(key, body) {
      let partial: string | undefined;
      try {
        const target = pathOf(key);
        await mkdir(dirname(target), { recursive: true });
        partial = `${target}.${randomBytes(4).toString("hex")}${PARTIAL}`;
        // Flushed to disk before the rename, so a crash never leaves a short file under the finished name.
        await pipeline(body, createWriteStream(partial, { flush: true }));
        await rename(partial, target);
      } catch (error) {
        // Whatever failed, the stream's producer (an export reading MySQL) stops too.
        body.destroy();
        if (partial) await rm(partial, { force: true });
        throw error;
      }
    },
    async list(folder) {
      let entries;
      try {
        entries = await readdir(pathOf(folder), { withFileTypes: true });
      } catch (error) {
        if (isErrno(error, "ENOENT")) return [];
        throw error;
      }
      return entries
        .filter((entry) => entry.isFile() && !entry.name.endsWith(PARTIAL))
        .map((entry) => `${folder}/${entry.name}`)
        .sort();
    },
    async read(key, range): Promise<Readable> {
      let handle;
      try {
        handle = await open(pathOf(key), "r");
      } catch (error) {
        if (isErrno(error, "ENOENT")) throw new ObjectNotFoundError(key);
        throw error;
      }
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (error) {
        if (isErrno(error, "ENOENT")) return false;
        throw error;
      }
    },
    async check() {
      try {
        await (await opendir(base)).close();
      } catch (error) {
        // Made by the first upload; a file or an unreadable mount in its place is what fails.
        if (!isErrno(error, "ENOENT")) throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async directUrl() {
      return null;
    },
    async close() {},
  };
}
