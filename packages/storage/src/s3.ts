import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
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
