import baseConfig from "@aimo/eslint-config";

// api/ holds the generated declarations of the published package (the API report), not source.
export default [{ ignores: ["api/**"] }, ...baseConfig];
