// Starts the emulator from environment variables: STRIPE_EMULATOR_PORT, STRIPE_EMULATOR_HOST, STRIPE_EMULATOR_PUBLIC_URL,
// STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET.
import { DEFAULT_WEBHOOK_SECRET, startEmulator } from "./index.js";

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? "12111");
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`STRIPE_EMULATOR_PORT must be a port number, got ${process.env.STRIPE_EMULATOR_PORT}\n`);
  process.exit(1);
}

const emulator = await startEmulator({
  port,
  host: process.env.STRIPE_EMULATOR_HOST || undefined,
  publicBaseUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
  webhookUrl: process.env.STRIPE_WEBHOOK_URL || undefined,
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || undefined,
});

const u = new URL(emulator.url);
process.stdout.write(
  [
    `Stripe emulator listening on ${emulator.url}`,
    `  SDK:      new Stripe('sk_test_anything', { host: '${u.hostname}', port: ${u.port}, protocol: 'http' })`,
    `  Webhooks: ${process.env.STRIPE_WEBHOOK_URL ? `${process.env.STRIPE_WEBHOOK_URL} (secret ${emulator.webhookSecret === DEFAULT_WEBHOOK_SECRET ? "default " : ""}${emulator.webhookSecret})` : 'none yet (POST /_emulator/webhook {"url","secret"})'}`,
    `  Control:  ${emulator.url}/_emulator/state`,
    "",
  ].join("\n"),
);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
