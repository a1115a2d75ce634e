// Signed webhook delivery: in order after each response, retries with backoff, and test modes for duplicates and reordering.
import { createHmac } from "node:crypto";
import type { DeliveryAttempt, EventRecord } from "./store.js";

export type DeliveryMode = "normal" | "duplicate" | "reverse" | "hold";
export type FlushOrder = "reverse" | "forward" | "shuffle";

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** Stripe's scheme: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" keyed by the endpoint secret>. */
export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export const DEFAULT_RETRY_DELAYS_MS = [200, 500, 1000, 2000, 5000, 10000, 20000];

type QueueItem = { record: EventRecord; kind: "initial" | "duplicate" };

export class WebhookDispatcher {
  target: WebhookTarget | null;
  mode: DeliveryMode = "normal";
  retryDelaysMs: number[];
  timeoutMs = 10000;

  private queue: QueueItem[] = [];
  private held: EventRecord[] = [];
  private pumping = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private retriesInFlight = 0;
  private waiters: Array<() => void> = [];
  private stopped = false;

  constructor(target: WebhookTarget | null, retryDelaysMs: number[] = DEFAULT_RETRY_DELAYS_MS) {
    this.target = target;
    this.retryDelaysMs = retryDelaysMs;
  }

  enqueue(records: EventRecord[]): void {
    for (const record of records) {
      record.event.pending_webhooks = this.target ? 1 : 0;
      record.payload = JSON.stringify(record.event, null, 2);
      record.state = this.target ? "pending" : "no_endpoint";
    }
    const deliverable = records.filter((r) => r.state === "pending");
    if (deliverable.length === 0) return;
    switch (this.mode) {
      case "hold":
        for (const r of deliverable) r.state = "held";
        this.held.push(...deliverable);
        return;
      case "reverse":
        this.queue.push(...[...deliverable].reverse().map((record) => ({ record, kind: "initial" as const })));
        break;
      case "duplicate":
        for (const record of deliverable) this.queue.push({ record, kind: "initial" }, { record, kind: "duplicate" });
        break;
      default:
        this.queue.push(...deliverable.map((record) => ({ record, kind: "initial" as const })));
    }
    this.schedulePump();
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Releases held events in the given order and resolves once each has had its first attempt. */
  async flush(order: FlushOrder = "reverse"): Promise<string[]> {
    const records = this.held.splice(0);
    if (order === "reverse") records.reverse();
    if (order === "shuffle") {
      for (let i = records.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        const a = records[i];
        const b = records[j];
        if (a && b) {
          records[i] = b;
          records[j] = a;
        }
      }
    }
    for (const record of records) {
      if (!this.target) {
        record.state = "no_endpoint";
        continue;
      }
      record.state = "pending";
      this.queue.push({ record, kind: "initial" });
    }
    this.schedulePump();
    await this.waitIdle(60000, false);
    return records.map((r) => r.event.id);
  }

  /** Sends an already-emitted event again (same id and body), `times` times, one after another or all at once. */
  async redeliver(record: EventRecord, times: number, concurrent: boolean): Promise<DeliveryAttempt[]> {
    if (!record.payload) record.payload = JSON.stringify(record.event, null, 2);
    const before = record.deliveries.length;
    if (concurrent) {
      await Promise.all(Array.from({ length: times }, () => this.send(record, "redeliver")));
    } else {
      for (let i = 0; i < times; i++) await this.send(record, "redeliver");
    }
    return record.deliveries.slice(before);
  }

  /** Resolves true once nothing is queued (and, if asked, no retry is pending), false on timeout. */
  waitIdle(timeoutMs: number, includeRetries: boolean): Promise<boolean> {
    const idle = (): boolean => this.queue.length === 0 && !this.pumping && (!includeRetries || (this.retryTimers.size === 0 && this.retriesInFlight === 0));
    if (idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (!idle()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(true);
      };
      this.waiters.push(check);
    });
  }

  reset(): void {
    this.queue = [];
    this.held = [];
    this.mode = "normal";
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.notify();
  }

  stop(): void {
    this.stopped = true;
    this.reset();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private schedulePump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    // setImmediate lets the API response that emitted these events reach the client first.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const item = this.queue.shift();
      if (item) await this.send(item.record, item.kind);
    }
    this.pumping = false;
    this.notify();
  }

  private async send(record: EventRecord, kind: DeliveryAttempt["kind"]): Promise<void> {
    const target = this.target;
    if (!target) {
      if (kind === "initial" || kind === "retry") record.state = "no_endpoint";
      return;
    }
    const started = Date.now();
    const attempt: DeliveryAttempt = {
      attempt: record.deliveries.length + 1,
      kind,
      at: new Date(started).toISOString(),
      status: null,
      ok: false,
      durationMs: 0,
    };
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "Stripe-Signature": signPayload(record.payload, target.secret),
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Cache-Control": "no-cache",
        },
        body: record.payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      attempt.status = res.status;
      attempt.ok = res.status >= 200 && res.status < 300;
      const text = await res.text().catch(() => "");
      if (!attempt.ok) attempt.error = text.slice(0, 500);
    } catch (err) {
      attempt.error = err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ""}` : String(err);
    }
    attempt.durationMs = Date.now() - started;
    record.deliveries.push(attempt);
    if (kind !== "initial" && kind !== "retry") return;
    if (attempt.ok) {
      record.state = "delivered";
      record.event.pending_webhooks = 0;
      return;
    }
    const tries = record.deliveries.filter((d) => d.kind === "initial" || d.kind === "retry").length;
    const delay = this.retryDelaysMs[tries - 1];
    if (delay === undefined || this.stopped) {
      record.state = "failed";
      return;
    }
    record.state = "retrying";
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retriesInFlight += 1;
      void this.send(record, "retry").finally(() => {
        this.retriesInFlight -= 1;
        this.notify();
      });
    }, delay);
    this.retryTimers.add(timer);
  }
}
