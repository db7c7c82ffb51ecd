import { Readable } from "node:stream";

import { ZipFile } from "yazl";

/** Entries queued ahead of the one being written: enough to keep the output busy, few enough to stay small. */
const WINDOW = 16;

/**
 * A yazl zip fed with backpressure: `add` waits while WINDOW entries are queued and unopened, so however
 * many entries an export has and however slowly the client reads, memory holds only the window.
 */
export class ZipWriter {
  private readonly zip = new ZipFile();
  private queued = 0;
  private wake: (() => void) | undefined;
  private aborted = false;
  readonly output: Readable;

  constructor() {
    this.output = this.zip.outputStream as Readable;
    this.zip.on("error", (error: Error) => this.output.destroy(error));
    // A client that hangs up stops the producer instead of leaving it waiting for room.
    this.output.once("close", () => {
      this.aborted = true;
      this.wake?.();
    });
  }

  get closed(): boolean {
    return this.aborted;
  }

  async add(path: string, open: () => Promise<Readable> | Readable, mtime: Date): Promise<void> {
    while (this.queued >= WINDOW && !this.aborted)
      await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.aborted) return;
    this.queued++;
    this.zip.addReadStreamLazy(path, { mtime }, (callback) => {
      this.queued--;
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
      Promise.resolve()
        .then(open)
        .then(
          (stream) => callback(null, stream),
          (error: unknown) => callback(error, Readable.from([])),
        );
    });
  }

  addText(path: string, text: string, mtime: Date): Promise<void> {
    return this.add(path, () => Readable.from([Buffer.from(text, "utf8")]), mtime);
  }

  end(): void {
    if (!this.aborted) this.zip.end();
  }

  fail(error: unknown): void {
    this.output.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
