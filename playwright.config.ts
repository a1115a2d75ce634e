import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run against the production build, started by the same launcher users run, in demo mode
// with a throwaway embedded database (never DATABASE_URL), and a Stripe emulator.
export const port = Number(process.env.E2E_PORT ?? 3210);
/** Tests drive the Stripe emulator's control API (settle a payment, refund, dispute) on this port. */
export const emulatorPort = port + 1;
/** The e2e server's data folder (its embedded PostgreSQL), fresh for every run; per port so runs can coexist. */
export const e2eDataDir = `.data/e2e-${port}`;
/** A real SMTP server catches the app's email (sign-in links, alerts) into this folder. */
export const smtpPort = port + 2;
export const mailDir = `.data/e2e-${port}-mail`;
/** A real OpenID Connect issuer (oidc-provider, e2e/oidc-issuer.ts) for enterprise sign-in; any login name signs in. */
export const oidcPort = port + 3;
// `npm test` finds or installs a browser first (scripts/ensure-browser.mjs) and passes it in CREDITDESK_CHROMIUM; run
// directly, Playwright uses Debian's Chromium when there is one, else its own.
const chromium = process.env.CREDITDESK_CHROMIUM || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: "npx tsx e2e/smtp-catcher.ts",
      port: smtpPort,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { SMTP_PORT: String(smtpPort), MAIL_DIR: mailDir },
    },
    {
      command: "npx tsx e2e/oidc-issuer-server.ts",
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: {
        OIDC_PORT: String(oidcPort),
        OIDC_CLIENT_ID: "creditdesk-e2e",
        OIDC_CLIENT_SECRET: "creditdesk-e2e-secret",
        OIDC_REDIRECT_URIS: `http://localhost:${port}/api/auth/callback/enterprise`,
      },
    },
    {
      command: `rm -rf ${e2eDataDir} && npx tsx scripts/serve.ts`,
      url: `http://localhost:${port}/signin`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        CREDITDESK_DEMO: "1",
        WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "1",
        PORT: String(port),
        STRIPE_EMULATOR_PORT: String(emulatorPort),
        CREDITDESK_DATA_DIR: e2eDataDir,
        DATABASE_URL: "",
        STRIPE_SECRET_KEY: "",
        STRIPE_PUBLISHABLE_KEY: "",
        STRIPE_WEBHOOK_SECRET: "",
        STRIPE_API_BASE: "",
        AUTH_SECRET: "",
        EMAIL_SERVER: `smtp://127.0.0.1:${smtpPort}`,
        EMAIL_FROM: "Creditdesk <billing@creditdesk.test>",
        ENTERPRISE_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        ENTERPRISE_OIDC_CLIENT_ID: "creditdesk-e2e",
        ENTERPRISE_OIDC_CLIENT_SECRET: "creditdesk-e2e-secret",
        ENTERPRISE_OIDC_NAME: "Corp SSO",
      },
    },
  ],
});
