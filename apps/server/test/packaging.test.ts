import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/** No image can be built here: these check that the Dockerfile and compose.yaml agree with the build and the env. */
const root = resolve(import.meta.dirname, "../../..");
let dockerfile: string;
let ciScript: string;
let envExample: string;
let scripts: Record<string, Record<string, string>>;

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

beforeAll(async () => {
  dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
  ciScript = await readFile(join(root, ".ci/run"), "utf8");
  envExample = await readFile(join(root, ".env.example"), "utf8");
  scripts = {};
  for (const dir of [".", "apps/server", "apps/migrator"]) {
    scripts[dir] = (
      JSON.parse(await readFile(join(root, dir, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
  }
});

/** The Dockerfile's instructions, continuation lines joined, in stages (split at FROM). */
function stages(): string[][] {
  const lines = dockerfile
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"));
  const found: string[][] = [];
  for (const line of lines) {
    if (line.startsWith("FROM ")) found.push([]);
    found.at(-1)?.push(line);
  }
  return found;
}

/** The `KEY=value` pairs of the ENV instructions of a stage. */
function envOf(stage: string[]): Record<string, string> {
  const pairs = stage
    .filter((line) => line.startsWith("ENV "))
    .flatMap((line) => line.slice(4).trim().split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => pair.split("=") as [string, string]));
}

describe("the Dockerfile", () => {
  it("builds with the install and build commands CI runs, and the package scripts they name", () => {
    const [build] = stages();
    const runs = build!.filter((line) => line.startsWith("RUN ")).map((line) => line.slice(4));
    for (const command of ["pnpm install --frozen-lockfile", "pnpm build"]) {
      expect(runs).toContain(command);
      expect(ciScript.split("\n")).toContain(command);
    }
    expect(scripts["."]!.build).toBe("turbo run build");
    expect(scripts["apps/server"]!.build).toBe("aimo-bundle src/main.ts src/cli/reconcile.ts");
    expect(scripts["apps/migrator"]!.build).toBe("aimo-bundle src/main.ts src/phase.ts");
  });

  it("runs the built output only, as a non-root user, with a health check on /readyz", () => {
    const runtime = stages().at(-1)!;
    const copies = runtime.filter((line) => line.startsWith("COPY "));
    expect(copies.every((line) => line.startsWith("COPY --from=build "))).toBe(true);
    const sources = copies.map((line) => line.split(/\s+/)[2]);
    expect(sources).toEqual([
      "/deploy/package.json",
      "/deploy/node_modules",
      "/repo/apps/server/dist",
      "/repo/apps/migrator/dist",
    ]);
    expect(runtime.find((line) => line.startsWith("USER "))).toBe("USER node");
    expect(runtime.find((line) => line.startsWith("HEALTHCHECK "))).toMatch(/\/readyz/);
    expect(runtime.find((line) => line.startsWith("CMD "))).toBe(
      'CMD ["node", "--enable-source-maps", "dist/main.js"]',
    );
    const env = envOf(runtime);
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
    for (const name of Object.keys(env)) expect(envExample).toMatch(new RegExp(`^${name}=`, "m"));
  });
});

describe("compose.yaml", () => {
  it("runs MySQL 8 and the server built from the Dockerfile, with volumes where the image keeps its data", async () => {
    const compose = parse(await readFile(join(root, "compose.yaml"), "utf8")) as {
      services: Record<string, ComposeService>;
      volumes: Record<string, unknown>;
    };
    const { mysql, server } = compose.services as { mysql: ComposeService; server: ComposeService };
    expect(mysql.image).toMatch(/^mysql:8\./);
    expect(mysql.volumes).toContain("mysql:/var/lib/mysql");
    expect(mysql.healthcheck?.test).toContain("ping");

    expect(server.build).toBe(".");
    expect(server.depends_on?.mysql?.condition).toBe("service_healthy");
    const { LANCEDB_URI, ATTACHMENT_LOCAL_PATH, BACKUP_TARGET } = envOf(stages().at(-1)!);
    const mounts = Object.fromEntries(
      server.volumes!.map((volume) => volume.split(":").reverse() as [string, string]),
    );
    expect(Object.keys(compose.volumes).sort()).toEqual(["attachments", "backups", "lancedb", "mysql"]);
    expect(mounts[LANCEDB_URI!]).toBe("lancedb");
    expect(mounts[ATTACHMENT_LOCAL_PATH!]).toBe("attachments");
    expect(mounts[BACKUP_TARGET!]).toBe("backups");

    const env = server.environment!;
    expect(env.MYSQL_URL).toMatch(/@mysql:3306\/aimo$/);
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    for (const name of Object.keys(env)) expect(envExample).toMatch(new RegExp(`^${name}=`, "m"));
  });
});
