import js from "@eslint/js";
import tseslint from "typescript-eslint";

const readEnvInEnvModule = "Read the environment in an env.ts module, through its schema.";

/**
 * `process.env` is read only in env modules, where a schema names every bad variable (create-t3-turbo's
 * restrictEnvAccess). Tests and benchmarks pass it on to child processes and read their own knobs.
 */
export const restrictEnvAccess = tseslint.config({
  files: ["**/*.ts", "**/*.js"],
  ignores: ["**/env.ts", "**/config.ts", "**/test/**", "**/bench/**"],
  rules: {
    "no-restricted-properties": [
      "error",
      {
        object: "process",
        property: "env",
        message: readEnvInEnvModule,
      },
    ],
    "no-restricted-imports": [
      "error",
      {
        name: "process",
        importNames: ["env"],
        message: readEnvInEnvModule,
      },
      {
        name: "node:process",
        importNames: ["env"],
        message: readEnvInEnvModule,
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/drizzle/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*.js"] } },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false, arguments: false } },
      ],
      "@typescript-eslint/require-await": "off",
    },
  },
  ...restrictEnvAccess,
);
