import { AimoUploadError } from "@aimo/client";
import { expect } from "vitest";

/** The AimoUploadError an upload is refused with. */
export async function uploadRefusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AimoUploadError);
  return error as AimoUploadError;
}
