import { baseVitestConfig } from "@aimo/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

/** Browser tests: the built app (globalSetup builds it) served by a real server, driven in Chromium. */
export default mergeConfig(baseVitestConfig, defineConfig({ test: { globalSetup: ["test/build-app.ts"] } }));
