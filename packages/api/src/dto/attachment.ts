import type { Attachment } from "@aimo/db";

/** What a client sees of an attachment: never where or how it is stored. */
export interface AttachmentDto {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  /** Images: pixels as displayed. */
  width?: number;
  height?: number;
  /** Audio and video: seconds. */
  duration?: number;
  createdAt: number;
}

const numberOrUndefined = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

export function toAttachmentDto(attachment: Attachment): AttachmentDto {
  return {
    id: attachment.id,
    filename: attachment.filename,
    mimeType: attachment.mimeType,
    size: attachment.size,
    width: numberOrUndefined(attachment.properties.width),
    height: numberOrUndefined(attachment.properties.height),
    duration: numberOrUndefined(attachment.properties.duration),
    createdAt: attachment.createdAt.getTime(),
  };
}
