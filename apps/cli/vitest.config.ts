import { baseVitestConfig } from "@aimo/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

/** The CLI's tests spawn its bundle (globalSetup builds it) against a real server. */
export default mergeConfig(baseVitestConfig, defineConfig({ test: { globalSetup: ["test/build-cli.ts"] } }));
