import { defineConfig } from "vitest/config";

/** Integration tests share one MariaDB and two cores: files run one after another, each in its own database. */
export const baseVitestConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
