import { type Actor, type Permission, requirePermission } from "../../auth/permissions";
import { findUnstorableText, UNSTORABLE_TEXT } from "../../auth/input-text";
import type { WebhookEndpointStatus } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { allowPrivateWebhookAddresses, checkWebhookUrl } from "./address-guard";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./event-types";

// What the endpoint functions share: the view a person or program sees (never the secret, only its last four
// characters), the checks of what they send, and the actor's team and permission.

export const MAX_WEBHOOK_ENDPOINTS_PER_TEAM = 20;
export const WEBHOOK_SECRET_MIN = 32;
export const WEBHOOK_SECRET_MAX = 256;
export const WEBHOOK_DESCRIPTION_MAX = 200;

/** Who turned an endpoint off: a person, or Creditdesk after sustained failure (the delivery worker). */
export type WebhookDisabledReason = "owner" | "failing";

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  status: "enabled" | "disabled";
  disabledReason: WebhookDisabledReason | null;
  failingSince: Date | null;
  /** The secret's last four characters, so a person can tell which one is set. */
  secretLast4: string;
  createdAt: Date;
  updatedAt: Date;
};

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  status: WebhookEndpointStatus;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  secret: true,
  status: true,
  disabledReason: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function endpointView(row: EndpointRow): WebhookEndpointView {
  const disabled = row.status === "DISABLED";
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events.filter(isWebhookEventType),
    status: disabled ? "disabled" : "enabled",
    disabledReason: disabled ? (row.disabledReason === "FAILING" ? "failing" : "owner") : null,
    failingSince: row.failingSince,
    secretLast4: row.secret.slice(-4),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The actor's team, once the actor has `permission` (FORBIDDEN else). */
export function teamOf(actor: Actor, permission: Permission): string {
  requirePermission(actor, permission);
  return actor.teamId;
}

/** Who to name in an audit row. */
export const auditActor = (actor: Actor) =>
  actor.kind === "apiKey" ? { actorUserId: null, actorApiKeyId: actor.apiKeyId } : { actorUserId: actor.userId, actorApiKeyId: null };

const invalid = (field: string, message: string) => new BillingError("VALIDATION_FAILED", `${field}: ${message}`, { field });

function storable(field: string, value: string): void {
  if (findUnstorableText(value) !== null) throw invalid(field, UNSTORABLE_TEXT);
}

/** A URL Creditdesk may deliver to (lib/billing/webhooks/address-guard.ts), checked when it is saved. */
export async function checkedUrl(raw: unknown, allowPrivate = allowPrivateWebhookAddresses()): Promise<string> {
  if (typeof raw !== "string" || raw.trim() === "") throw invalid("url", "enter the URL that should receive the events");
  storable("url", raw);
  const check = await checkWebhookUrl(raw.trim(), { allowPrivate });
  if (!check.ok) throw new BillingError(check.code, `url: ${check.message}`, { field: "url" });
  return check.url.toString();
}

/** A non-empty list of known event types, each once (in the catalogue's order). */
export function checkedEvents(raw: unknown): WebhookEventType[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid("events", "choose at least one event type");
  const chosen = new Set<WebhookEventType>();
  for (const e of raw) {
    if (typeof e !== "string") throw invalid("events", "each event type must be a string");
    storable("events", e);
    if (!isWebhookEventType(e)) {
      const shown = e.length > 60 ? `${e.slice(0, 60)}…` : e;
      throw invalid("events", `"${shown}" is not an event type; use any of ${WEBHOOK_EVENT_TYPES.join(", ")}`);
    }
    if (chosen.has(e)) throw invalid("events", `"${e}" is listed twice`);
    chosen.add(e);
  }
  return WEBHOOK_EVENT_TYPES.filter((t) => chosen.has(t));
}

/** A shared signing secret: 32 to 256 printable ASCII characters, no spaces. */
export function checkedSecret(raw: unknown): string {
  if (typeof raw !== "string") throw invalid("secret", `must be a text of at least ${WEBHOOK_SECRET_MIN} characters`);
  storable("secret", raw);
  if (raw.length < WEBHOOK_SECRET_MIN) throw invalid("secret", `must be at least ${WEBHOOK_SECRET_MIN} characters (it has ${raw.length})`);
  if (raw.length > WEBHOOK_SECRET_MAX) throw invalid("secret", `must be at most ${WEBHOOK_SECRET_MAX} characters`);
  if (!/^[\x21-\x7e]+$/.test(raw)) throw invalid("secret", "must be printable ASCII characters without spaces");
  return raw;
}

/** An optional note of at most 200 characters; blank is none. */
export function checkedDescription(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== "string") throw invalid("description", "must be text");
  storable("description", raw);
  const text = raw.trim();
  if (text.length > WEBHOOK_DESCRIPTION_MAX) throw invalid("description", `must be at most ${WEBHOOK_DESCRIPTION_MAX} characters`);
  return text === "" ? null : text;
}
