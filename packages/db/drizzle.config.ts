import { defineConfig } from "drizzle-kit";

// Only `generate` is used (never `push`): it needs no database connection.
export default defineConfig({
  dialect: "mysql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
});
