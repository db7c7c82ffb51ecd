import baseConfig from "@aimo/eslint-config";

export default [
  ...baseConfig,
  // Vite's config is the dev tool's own env module: it reads where the API runs in development.
  { files: ["vite.config.ts"], rules: { "no-restricted-properties": "off" } },
];
