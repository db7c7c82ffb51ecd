import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { z } from "zod";

import { flag, parseEnv, resolveWorkspacePath } from "../src";

const schema = z.object({
  PORT: z.coerce.number().int().default(3000),
  NAME: z.string().min(1).optional(),
  ENABLED: flag().default(true),
});

describe("parseEnv", () => {
  it("treats an empty value as unset, so the default or absence applies", () => {
    expect(parseEnv(schema, { PORT: "", NAME: "", ENABLED: "" })).toEqual({ PORT: 3000, ENABLED: true });
    expect(parseEnv(schema, { PORT: "8080", NAME: "aimo", ENABLED: "0" })).toEqual({
      PORT: 8080,
      NAME: "aimo",
      ENABLED: false,
    });
  });

  it("names every bad variable in one error", () => {
    expect(() => parseEnv(schema, { PORT: "not-a-port", ENABLED: "maybe" })).toThrow(
      /^Invalid environment:\n {2}PORT: .+\n {2}ENABLED: .+$/,
    );
  });

  it("keeps the schema's own refinements", () => {
    const refined = schema.refine((env) => env.ENABLED || env.NAME, {
      path: ["NAME"],
      message: "required when ENABLED=false",
    });
    expect(() => parseEnv(refined, { ENABLED: "false" })).toThrow(/NAME: required when ENABLED=false/);
  });
});

describe("flag", () => {
  it("reads the usual spellings of true and false and refuses anything else", () => {
    for (const text of ["true", "TRUE", "1", "yes", "on"]) expect(flag().parse(text)).toBe(true);
    for (const text of ["false", "False", "0", "no", "off"]) expect(flag().parse(text)).toBe(false);
    expect(flag().safeParse("maybe").success).toBe(false);
  });
});

describe("resolveWorkspacePath", () => {
  it("resolves relative paths against the folder with pnpm-workspace.yaml and leaves URIs and absolute paths", async () => {
    const root = await mkdtemp(join(tmpdir(), "aimo-env-"));
    try {
      await writeFile(join(root, "pnpm-workspace.yaml"), "packages: []\n");
      const app = join(root, "apps", "server");
      await mkdir(app, { recursive: true });
      expect(resolveWorkspacePath("./data/lancedb", app)).toBe(join(root, "data", "lancedb"));
      expect(resolveWorkspacePath("s3://bucket/prefix", app)).toBe("s3://bucket/prefix");
      expect(resolveWorkspacePath("/var/aimo", app)).toBe("/var/aimo");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
