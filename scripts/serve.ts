// Starts Creditdesk: PostgreSQL (embedded when DATABASE_URL is unset), migrations, demo data and the Stripe
// emulator in demo mode, then `next start` (or `next dev` with --dev). Stops everything cleanly on exit.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { assertPortFree, type EmbeddedDatabase, startEmbeddedPostgres } from "../lib/db/embedded";
import { MigrationError, migrate } from "../lib/db/migrate";
import { parseBillingConfig } from "../lib/billing/config";
import { parseEnv } from "../lib/env";

const dev = process.argv.includes("--dev");
const log = (msg: string) => console.log(`[creditdesk] ${msg}`);

/** A start-up failure: reported as one line (no stack trace), after stopping whatever had started. */
class StartupError extends Error {}
const fail = (msg: string): never => {
  throw new StartupError(msg);
};
/** One line from any error: "Invalid environment:\n  A: x\n  B: y" reads "invalid environment: A: x; B: y". */
function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message
    .trim()
    .replace(/:\s*\n\s*/g, ": ")
    .replace(/\s*\n\s*/g, "; ")
    .replace(/^Invalid environment/, "invalid environment");
}
function failedToStart(e: unknown) {
  console.error(`[creditdesk] ${e instanceof StartupError ? "" : "could not start: "}${oneLine(e)}`);
  void shutdown(1);
}

const cleanups: (() => Promise<unknown>)[] = [];
let child: ChildProcess | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => {
      child!.once("exit", r);
      setTimeout(r, 5000).unref();
    });
  }
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`[creditdesk] while stopping: ${oneLine(e)}`));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// An error nothing else caught (an 'error' event without a listener, a stray rejection) still ends in one line.
process.on("uncaughtException", (e) => (stopping ? undefined : failedToStart(e)));
process.on("unhandledRejection", (e) => (stopping ? undefined : failedToStart(e)));

async function checkDatabase(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (e) {
    fail(`cannot reach the database in DATABASE_URL (${new URL(url).host}): ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function main() {
  let env;
  try {
    env = parseEnv();
    parseBillingConfig();
  } catch (e) {
    return fail(oneLine(e));
  }
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a number from 1 to 65535, got "${process.env.PORT}"`);
  await assertPortFree(port).catch((e: Error) => fail(`${e.message} (set PORT to use another)`));

  const dataDir = path.resolve(process.env.CREDITDESK_DATA_DIR ?? ".data");
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  } catch (e) {
    fail(`cannot create the data folder ${dataDir}: ${(e as Error).message} (set CREDITDESK_DATA_DIR to use another)`);
  }

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    log(`DATABASE_URL is not set: starting embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir) || "."}/pg)`);
    let pgServer: EmbeddedDatabase;
    try {
      pgServer = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined });
    } catch (e) {
      return fail(`embedded PostgreSQL did not start: ${oneLine(e)}`);
    }
    cleanups.push(() => pgServer.stop());
    databaseUrl = pgServer.url;
  } else {
    await checkDatabase(databaseUrl);
  }

  try {
    const { applied } = await migrate(databaseUrl, { log });
    log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");
  } catch (e) {
    if (e instanceof MigrationError) fail(`refusing to start: ${oneLine(e)}`);
    throw e;
  }

  const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, APP_URL: appUrl, AUTH_URL: appUrl, NEXT_TELEMETRY_DISABLED: "1" };

  if (env.CREDITDESK_DEMO) {
    // The demo's webhook receivers listen on this machine: let endpoints point at localhost (never in production).
    childEnv.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES ??= "1";
    const secretFile = path.join(dataDir, "auth-secret");
    if (!env.AUTH_SECRET) {
      if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
      childEnv.AUTH_SECRET = readFileSync(secretFile, "utf8").trim();
    }
    let emulatorUrl: string | null = null;
    let connectWebhook = () => {};
    if (!env.STRIPE_SECRET_KEY) {
      const emulatorEntry = path.resolve("stripe-emulator/index.ts");
      if (existsSync(emulatorEntry)) {
        const webhookSecret = `whsec_${randomBytes(24).toString("hex")}`;
        const { startEmulator } = await import(emulatorEntry);
        // No webhook endpoint while the demo is seeded (the seed applies what its Stripe objects say itself, and the app
        // is not up to receive them: their retries would still be arriving when the demo is stopped); set after.
        const emulator = await startEmulator({ port: Number(process.env.STRIPE_EMULATOR_PORT ?? 0), webhookSecret });
        cleanups.push(() => emulator.stop());
        emulatorUrl = emulator.url;
        connectWebhook = () => {
          emulator.webhooks.target = { url: `http://127.0.0.1:${port}/api/stripe/webhook`, secret: webhookSecret };
        };
        Object.assign(childEnv, {
          STRIPE_SECRET_KEY: "sk_test_emulator",
          STRIPE_PUBLISHABLE_KEY: "pk_test_emulator",
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          STRIPE_API_BASE: emulator.url,
        });
        log(`Stripe emulator at ${emulator.url}`);
      }
    }

    const [{ seedDemo }, { seedDemoBilling }, { createDb }, { createStripeClient }] = await Promise.all([
      import("../lib/demo/seed"),
      import("../lib/demo/seed-billing"),
      import("../lib/db/client"),
      import("../lib/stripe/client"),
    ]);
    const seedDb = createDb(databaseUrl, { max: 2 });
    const seeded = await seedDemo({ db: seedDb });
    // The emulator keeps its state in memory: Stripe customers from an earlier demo run no longer exist there.
    if (emulatorUrl && !seeded) await seedDb.team.updateMany({ where: { stripeCustomerId: { not: null } }, data: { stripeCustomerId: null } });
    // Acme AI is on Pro through a real subscription in the emulator (its card saved with it); no other saved cards: demo
    // people add one through Checkout's setup page on Buy Credit, as real customers do.
    const stripe = emulatorUrl ? createStripeClient({ secretKey: "sk_test_emulator", apiBase: emulatorUrl }) : null;
    await seedDemoBilling({ db: seedDb, stripe, saveCards: false });
    await seedDb.$disconnect();
    connectWebhook();
    log(seeded ? "seeded demo data" : "demo data already present");
  }

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  if (!dev && !existsSync(path.resolve(".next/BUILD_ID"))) fail("no production build found: run `npm run build` first (or `npm run demo`, which builds)");
  child = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(port)], { env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (/Ready|started server/i.test(text))
      log(`Creditdesk is running at ${appUrl}${env.CREDITDESK_DEMO ? "  (demo: pick a persona on the sign-in page)" : ""}`);
  });
  child.on("error", (e) => failedToStart(new StartupError(`cannot run Next.js (${nextBin}): ${e.message}`)));
  child.on("exit", (code) => {
    if (!stopping) {
      log(`the app exited (code ${code})`);
      void shutdown(code ?? 1);
    }
  });
}

main().catch(failedToStart);
