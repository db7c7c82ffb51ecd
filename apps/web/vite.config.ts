import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** In development the API runs beside Vite (`pnpm start`); these paths go to it. */
const api = process.env.AIMO_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(["/trpc", "/attachments", "/avatars"].map((path) => [path, api])),
  },
});
