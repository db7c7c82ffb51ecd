import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";

import yauzl from "yauzl";
import { ZipFile } from "yazl";

/** A zip of these files, made with yazl (as a user's tools would). */
export async function makeZip(files: Record<string, string | Buffer>, mtime = new Date()): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [path, content] of Object.entries(files))
    zip.addBuffer(typeof content === "string" ? Buffer.from(content) : content, path, { mtime });
  zip.end();
  return buffer(zip.outputStream as Readable);
}

/** Every file of a zip, by path. */
export async function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        buffer(stream).then((content) => {
          files.set(entry.fileName, content);
          zip.readEntry();
        }, reject);
      });
    });
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.readEntry();
  });
  return files;
}

export const asStream = (bytes: Buffer) => Readable.from([bytes]);
