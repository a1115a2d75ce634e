// Standalone config so the emulator's tests run without the app's global setup (database etc.).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    include: ["**/*.test.ts"],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
