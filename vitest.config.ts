import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests call route handlers and server modules directly, outside React's server environment that `server-only` checks.
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "test/helpers/server-only.ts") } },
  test: {
    include: ["test/**/*.test.ts", "lib/**/*.test.ts", "stripe-emulator/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // next-auth imports "next/server" without the extension Node's ESM loader needs (Next has no exports map); run
    // through Vite it resolves. Only the enterprise sign-in tests load Auth.js itself.
    server: { deps: { inline: ["next-auth"] } },
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
});
