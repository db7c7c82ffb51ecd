import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";

import yauzl from "yauzl";

/** Input the importer refuses (not a zip, a bomb, a bad name, bad front matter): the route answers 400. */
export class ImportInputError extends Error {}

/** The files of an upload, whatever its packaging: a zip (a folder is sent zipped), or one file. */
export interface ImportSource {
  /** Paths with `/` separators, in a stable order. */
  readonly files: SourceFile[];
  readText(file: SourceFile, maxBytes: number): Promise<string>;
  open(file: SourceFile): Promise<Readable>;
  close(): Promise<void>;
}

export interface SourceFile {
  path: string;
  size: number;
  modifiedAt: Date;
}

export interface SourceLimits {
  /** Most files one upload may hold. */
  maxFiles: number;
  /** Most bytes its files may unpack to, together. */
  maxUnpackedBytes: number;
}

/** Files nobody wrote: macOS resource forks, hidden files, OS thumbnails. */
const isNoise = (path: string) => path.split("/").some((part) => part.startsWith(".") || part === "__MACOSX");

async function collect(stream: Readable, maxBytes: number, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new ImportInputError(`${name} is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function checkTotals(files: SourceFile[], limits: SourceLimits) {
  if (files.length > limits.maxFiles)
    throw new ImportInputError(`More than ${limits.maxFiles} files in the upload`);
  const unpacked = files.reduce((sum, file) => sum + file.size, 0);
  if (unpacked > limits.maxUnpackedBytes)
    throw new ImportInputError(`The upload unpacks to more than ${limits.maxUnpackedBytes} bytes`);
}

const ZIP_MAGIC = [Buffer.from("PK\u0003\u0004"), Buffer.from("PK\u0005\u0006")];

export async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && ZIP_MAGIC.some((magic) => magic.equals(head));
  } finally {
    await handle.close();
  }
}

/**
 * A zip read from its central directory, never unpacked to disk under its own names: a name with `..` or an
 * absolute path is refused, and each entry is checked against its declared size while it is read (yauzl).
 */
export async function openZipSource(path: string, limits: SourceLimits): Promise<ImportSource> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, file) =>
      error ? reject(new ImportInputError(`Not a readable zip file (${error.message})`)) : resolve(file),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entries.size >= limits.maxFiles)
          return reject(new ImportInputError(`More than ${limits.maxFiles} files in the upload`));
        if (!entry.fileName.endsWith("/") && !isNoise(entry.fileName)) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on("end", resolve);
      zip.on("error", (error: Error) =>
        reject(new ImportInputError(`Not a readable zip file (${error.message})`)),
      );
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  const files = [...entries.values()]
    .map((entry) => ({
      path: entry.fileName,
      size: entry.uncompressedSize,
      modifiedAt: entry.getLastModDate(),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
  try {
    checkTotals(files, limits);
  } catch (error) {
    zip.close();
    throw error;
  }
  const openEntry = (file: SourceFile) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entries.get(file.path)!, (error, stream) =>
        error ? reject(new ImportInputError(`${file.path}: ${error.message}`)) : resolve(stream),
      ),
    );
  return {
    files,
    async readText(file, maxBytes) {
      if (file.size > maxBytes) throw new ImportInputError(`${file.path} is larger than ${maxBytes} bytes`);
      return collect(await openEntry(file), maxBytes, file.path);
    },
    open: openEntry,
    async close() {
      zip.close();
    },
  };
}

/** One uploaded file that is not a zip, under the name it was sent with. */
export async function openSingleFileSource(path: string, name: string): Promise<ImportSource> {
  const info = await stat(path);
  const file = { path: name.split(/[\\/]/).pop() || "upload", size: info.size, modifiedAt: info.mtime };
  return {
    files: [file],
    async readText(_file, maxBytes) {
      if (info.size > maxBytes) throw new ImportInputError(`${file.path} is larger than ${maxBytes} bytes`);
      return (await readFile(path)).toString("utf8");
    },
    async open() {
      return createReadStream(path);
    },
    async close() {},
  };
}

/** SHA-256 of an upload: the key that makes a re-run of the same file resume. */
export async function contentHash(uploadPath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(uploadPath)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
