import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

import type { CompletedPart } from "@aws-sdk/client-s3";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { assertSafeKey, ObjectNotFoundError } from "./errors";
import type { ObjectStorage } from "./types";

export interface S3StorageOptions {
  bucket: string;
  /** Prepended to every key, e.g. `aimo/` (a trailing slash is added when missing). */
  prefix?: string;
  /** An S3-compatible endpoint (MinIO, R2, OSS…); AWS when absent. */
  endpoint?: string;
  region: string;
  /** Falls back to the SDK's default credential chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible services need. */
  forcePathStyle: boolean;
  /** A public bucket is linked to with plain URLs; a private one with presigned URLs. */
  isPublic: boolean;
  /** Base of plain URLs for a public bucket (a CDN, say); derived from endpoint and bucket when absent. */
  publicUrl?: string;
}

/**
 * The part size of streamed uploads: S3 wants at least 5 MiB in every part but the last and at most 10,000
 * parts, so one streamed object holds up to about 80 GB; one part at a time is held in memory.
 */
const PART_BYTES = 8 * 1024 * 1024;

/** The stream cut into parts of at least `size` bytes (the last may be smaller); always at least one part. */
async function* parts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    pending.push(bytes);
    pendingBytes += bytes.length;
    if (pendingBytes >= size) {
      yield Buffer.concat(pending);
      yielded = true;
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending);
}

const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

function publicBase(options: S3StorageOptions): string {
  if (options.publicUrl) return options.publicUrl.replace(/\/+$/, "");
  if (!options.endpoint) return `https://${options.bucket}.s3.${options.region}.amazonaws.com`;
  const endpoint = new URL(options.endpoint);
  if (options.forcePathStyle) return `${endpoint.origin}/${encodeURIComponent(options.bucket)}`;
  return `${endpoint.protocol}//${options.bucket}.${endpoint.host}`;
}

/** `filename*` (RFC 6266 / 5987) keeps non-ASCII names intact; the plain `filename` is an ASCII fallback. */
export function contentDisposition(type: "inline" | "attachment", filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Attachments in an S3-compatible bucket, under an optional prefix. */
export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const prefix = options.prefix ? options.prefix.replace(/^\/+/, "").replace(/\/*$/, "/") : "";
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Many S3-compatible services reject the SDK's default streaming checksums (aws-chunked trailers).
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return prefix + key;
  };
  const isMissing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

  return {
    location: {
      type: "s3",
      bucket: options.bucket,
      prefix: prefix || undefined,
      endpoint: options.endpoint,
      region: options.region,
      isPublicBucket: options.isPublic,
    },
    async putFile(key, filePath, meta) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: createReadStream(filePath),
          ContentLength: meta.size,
          ContentType: meta.contentType,
        }),
      );
    },
    async putStream(key, body, meta) {
      let upload: { Bucket: string; Key: string; UploadId: string | undefined } | undefined;
      try {
        const target = { Bucket: options.bucket, Key: objectKey(key) };
        const { UploadId } = await client.send(
          new CreateMultipartUploadCommand({ ...target, ContentType: meta.contentType }),
        );
        upload = { ...target, UploadId };
        const done: CompletedPart[] = [];
        for await (const part of parts(body, PART_BYTES)) {
          const PartNumber = done.length + 1;
          const { ETag } = await client.send(
            new UploadPartCommand({ ...upload, PartNumber, Body: part, ContentLength: part.length }),
          );
          done.push({ ETag, PartNumber });
        }
        // The object exists from this call on, whole; before it, only the unfinished upload does.
        await client.send(
          new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: done } }),
        );
      } catch (error) {
        // Whatever failed, the stream's producer (an export reading MySQL) stops too.
        body.destroy();
        // The first error is the one to report; an upload that cannot be aborted is invisible, only billed.
        if (upload) await client.send(new AbortMultipartUploadCommand(upload)).catch(() => undefined);
        throw error;
      }
    },
    async list(folder) {
      const Prefix = `${objectKey(folder)}/`;
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: options.bucket, Prefix, Delimiter: "/", ContinuationToken }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(prefix.length));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
    async read(key, range): Promise<Readable> {
      try {
        const answer = await client.send(
          new GetObjectCommand({
            Bucket: options.bucket,
            Key: objectKey(key),
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        return answer.Body as Readable;
      } catch (error) {
        if (isMissing(error)) throw new ObjectNotFoundError(key);
        throw error;
      }
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async check(signal) {
      // The bucket itself: looking up a key would answer "absent" as readily for a missing bucket.
      try {
        await client.send(new HeadBucketCommand({ Bucket: options.bucket }), { abortSignal: signal });
      } catch (error) {
        if (isMissing(error)) throw new Error(`bucket ${options.bucket} does not exist`, { cause: error });
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
    async directUrl(key, urlOptions) {
      if (options.isPublic) return `${publicBase(options)}/${encodeKey(objectKey(key))}`;
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          ResponseContentType: urlOptions.contentType,
          ResponseContentDisposition: contentDisposition(urlOptions.disposition, urlOptions.filename),
        }),
        { expiresIn: urlOptions.expiresInSeconds },
      );
    },
    async close() {
      client.destroy();
    },
  };
}
