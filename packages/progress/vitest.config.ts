import { baseVitestConfig } from "@aimo/vitest-config";

export default baseVitestConfig;
