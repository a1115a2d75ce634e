import { allowPrivateWebhookAddresses } from "./address-guard";

// The delivery engine's knobs. Defaults follow Svix: about three days of retries, then the delivery fails; an endpoint
// failing for three days with no success is turned off. Tests compress the schedule with WEBHOOKS_RETRY_SCALE.

/**
 * The wait before each automatic attempt after the first: Svix's 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h seven times
 * (about 3.2 days in all), so the last attempt of a delivery falls after the 3 days that disable a failing endpoint.
 */
const H = 3_600_000;
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 2 * H, 5 * H, 10 * H, 10 * H, 10 * H, 10 * H, 10 * H, 10 * H, 10 * H] as const;

export type WebhookSettings = {
  /** Waits before attempt 2, 3, …; after the last one fails the delivery is FAILED. */
  retryDelaysMs: readonly number[];
  /** The whole attempt: connection, request and response headers. */
  timeoutMs: number;
  /** An endpoint whose every attempt has failed for this long is disabled (FAILING) and its owners are emailed. */
  disableAfterMs: number;
  /** At most this much of a response body is read (and then dropped): a receiver only needs to answer 2xx. */
  maxResponseBytes: number;
  /** Lets endpoints reach loopback and private addresses (the demo and tests). */
  allowPrivate: boolean;
};

function positive(raw: string | undefined, fallback: number): number {
  const n = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * From the environment: WEBHOOKS_RETRY_SCALE (multiplies every retry delay and the disable threshold; e.g. 0.001 turns
 * three days into minutes), WEBHOOKS_TIMEOUT_MS (default 10000), WEBHOOKS_DISABLE_AFTER_HOURS (default 72),
 * WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=1.
 */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const scale = positive(env.WEBHOOKS_RETRY_SCALE, 1);
  return {
    retryDelaysMs: RETRY_DELAYS_MS.map((ms) => Math.max(1, Math.round(ms * scale))),
    timeoutMs: positive(env.WEBHOOKS_TIMEOUT_MS, 10_000),
    disableAfterMs: Math.round(positive(env.WEBHOOKS_DISABLE_AFTER_HOURS, 72) * 3_600_000 * scale),
    maxResponseBytes: 4096,
    allowPrivate: allowPrivateWebhookAddresses(env),
  };
}

/** When the attempt after `autoAttemptsMade` automatic attempts is due, or null when the schedule is exhausted. */
export function nextAttemptAt(settings: WebhookSettings, autoAttemptsMade: number, now: Date): Date | null {
  const wait = settings.retryDelaysMs[autoAttemptsMade - 1];
  return wait === undefined ? null : new Date(now.getTime() + wait);
}
