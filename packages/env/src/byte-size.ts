import { z } from "zod";

const UNITS = { "": 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

/** An environment size: bytes, or a number with KB, MB or GB (`50MB`), parsed to bytes. */
export const byteSize = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+\s*(b|kb|mb|gb)?$/i, "bytes, or a number with KB, MB or GB (e.g. 50MB)")
    .default(fallback)
    .transform((text) => {
      const [, amount, unit] = /^(\d+)\s*([a-z]*)$/i.exec(text)!;
      return Number(amount) * UNITS[unit!.toLowerCase() as keyof typeof UNITS];
    })
    .pipe(z.number().int().min(1));
