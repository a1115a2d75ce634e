/// <reference types="node" />
// (TypeScript 6 no longer loads @types/node by default; this keeps the folder type-checking under any tsconfig.)
// Entry point: startEmulator() runs the Stripe emulator on a local port for tests, scripts and the demo.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "./server.js";
import { Store } from "./store.js";
import { DEFAULT_RETRY_DELAYS_MS, WebhookDispatcher } from "./webhooks.js";

export { signPayload, DEFAULT_RETRY_DELAYS_MS, type DeliveryMode } from "./webhooks.js";
export { TEST_CARDS, CARD_TOKENS } from "./cards.js";
export { API_VERSION, type EventRecord, type DeliveryAttempt } from "./store.js";
export type { Store } from "./store.js";
export type { WebhookDispatcher } from "./webhooks.js";

export const DEFAULT_WEBHOOK_SECRET = "whsec_creditdesk_emulator_secret";

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Base for URLs the emulator hands out (hosted checkout, portal, invoices); defaults to http://<host>:<port>. */
  publicBaseUrl?: string;
  /** Delays between webhook retries; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  /** Where internal errors are reported; defaults to stderr. */
  log?: (message: string) => void;
}

export interface Emulator {
  url: string;
  port: number;
  /** Secret that signs webhooks (use it with stripe.webhooks.constructEvent). */
  webhookSecret: string;
  state: Store;
  webhooks: WebhookDispatcher;
  stop(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? "127.0.0.1";
  const webhookSecret = opts.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const store = new Store("");
  const dispatcher = new WebhookDispatcher(
    opts.webhookUrl ? { url: opts.webhookUrl, secret: webhookSecret } : null,
    opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  );
  store.onEvents = (records) => dispatcher.enqueue(records);
  const log = opts.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const server = createServer(createRequestHandler({ store, dispatcher, defaultWebhookSecret: webhookSecret, log }));
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  store.publicBaseUrl = (opts.publicBaseUrl ?? url).replace(/\/+$/, "");

  let stopped = false;
  return {
    url,
    port,
    webhookSecret,
    state: store,
    webhooks: dispatcher,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      dispatcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
