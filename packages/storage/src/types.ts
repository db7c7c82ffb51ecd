import type { Readable } from "node:stream";

export type StorageType = "local" | "s3";

/** Where objects live; recorded with each attachment so a later configuration change is detectable. */
export interface StorageLocation {
  type: StorageType;
  bucket?: string;
  prefix?: string;
  endpoint?: string;
  region?: string;
  isPublicBucket?: boolean;
}

export interface ObjectMeta {
  contentType: string;
  size: number;
}

/** Inclusive byte range, as in an HTTP `Range` header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface DirectUrlOptions {
  expiresInSeconds: number;
  /** Sent back as the download's file name and type (presigned URLs only). */
  filename: string;
  contentType: string;
  disposition: "inline" | "attachment";
}

/** The bytes of attachments, behind one interface: a local directory or an S3-compatible bucket. */
export interface ObjectStorage {
  readonly location: StorageLocation;
  /** Stores a finished local file under `key` (moved when possible); the caller removes what is left. */
  putFile(key: string, filePath: string, meta: ObjectMeta): Promise<void>;
  /**
   * Stores a stream of unknown length under `key`, reading it as it is written (memory stays flat). The object
   * appears only once all of it is stored: a failed or cut-off stream leaves no object behind.
   */
  putStream(key: string, body: Readable, meta: Pick<ObjectMeta, "contentType">): Promise<void>;
  /** The keys of the objects directly in `folder` (not in folders below it), in key order. */
  list(folder: string): Promise<string[]>;
  /** The object's bytes, or a range of them; rejects with ObjectNotFoundError when absent. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /**
   * Resolves once the storage answered that it can hold objects (the directory is usable, the bucket exists
   * and answers); rejects with why not. `signal` bounds it: `/readyz` waits for it.
   */
  check(signal: AbortSignal): Promise<void>;
  /** Idempotent: deleting an absent object succeeds. */
  delete(key: string): Promise<void>;
  /**
   * A URL a client fetches directly: presigned for a private bucket, plain for a public one. Null when the
   * server must serve the bytes itself (local storage).
   */
  directUrl(key: string, options: DirectUrlOptions): Promise<string | null>;
  close(): Promise<void>;
}
