import { formatCents, formatCredits } from "@/lib/billing/currency";
import { paymentKindWords, paymentStatusWords } from "@/lib/billing/words";

// The audit log in people's words: one sentence per row and, where the row keeps them, the values before and after.
// Rows written before a writer kept "before"/"after" still read (their data names the new values only).

export type AuditChange = { label: string; before: string; after: string };
export type AuditDescription = { what: string; changes: AuditChange[] };

type Data = Record<string, unknown>;

const obj = (v: unknown): Data | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Data) : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : null);
const int = (v: unknown): bigint | null => {
  const s = str(v);
  return s !== null && /^-?\d+$/.test(s) ? BigInt(s) : null;
};
const cents = (v: unknown, currency?: unknown) => {
  const n = int(v);
  return n === null ? "—" : formatCents(n, typeof currency === "string" ? currency : "usd");
};
const credits = (v: unknown) => {
  const n = int(v);
  return n === null ? "—" : `${formatCredits(n)} credits`;
};
const yesNo = (v: unknown) => (v === true ? "yes" : v === false ? "no" : "—");
const words = (v: unknown) => (str(v) ?? "—").toLowerCase().replace(/_/g, " ");
const quoted = (v: unknown) => (str(v) ? `“${str(v)}”` : "");

type Field = { key: string; label: string; show: (v: unknown, d: Data) => string };

/** The changed fields of before/after objects (all fields when one side is missing: set for the first time, or removed). */
function diff(before: Data | null, after: Data | null, fields: Field[]): AuditChange[] {
  return fields.flatMap((f) => {
    const b = before ? f.show(before[f.key], before) : "—";
    const a = after ? f.show(after[f.key], after) : "—";
    return b === a ? [] : [{ label: f.label, before: b, after: a }];
  });
}

const API_KEY_LIMIT_FIELDS: Field[] = [
  { key: "credits", label: "Limit", show: (v) => credits(v) },
  { key: "period", label: "Per", show: words },
];

const BUDGET_FIELDS: Field[] = [
  { key: "monthlyCapCents", label: "Monthly cap", show: (v) => cents(v) },
  { key: "hardCap", label: "Kind", show: (v) => (v === true ? "hard cap" : v === false ? "soft cap" : "—") },
  { key: "allowSoftOverage", label: "Spending past a soft cap", show: (v) => (v === true ? "allowed" : v === false ? "refused" : "—") },
  { key: "alertEmail", label: "Alert email", show: (v) => str(v) ?? "none" },
];

const AUTO_TOP_UP_FIELDS: Field[] = [
  { key: "enabled", label: "On", show: yesNo },
  { key: "thresholdCredits", label: "When the balance falls below", show: credits },
  { key: "amountCents", label: "Top up by", show: (v) => cents(v) },
  { key: "maxPerMonth", label: "At most a month", show: (v) => (str(v) ? `${str(v)} times` : "—") },
];

const SUBSCRIPTION_FIELDS: Field[] = [
  { key: "plan", label: "Plan", show: (v, d) => str(d.planName) ?? str(v) ?? "—" },
  { key: "billingCycle", label: "Billing", show: words },
  { key: "status", label: "Status", show: words },
  { key: "cancelAtPeriodEnd", label: "Ends at the period end", show: yesNo },
];

const CREDIT_LINE_WORDS: Record<string, string> = {
  draft_saved: "Saved a credit line application draft",
  submitted: "Applied for a credit line",
  email_confirmed: "Confirmed the company email of the credit line application",
  email_resent: "Sent the company email confirmation again",
  approved_first: "Gave the first approval of the credit line application",
  approved: "Approved the credit line application",
  approval_confirmed: "Confirmed the credit line approval",
  rejected: "Rejected the credit line application",
  info_requested: "Asked for more information on the credit line application",
  answered: "Answered the request for more information",
  withdrawn: "Withdrew the credit line application",
  guarantee_checkout_started: "Started paying the credit line guarantee",
  closed: "Closed the credit line",
  lowered: "Lowered the credit limit",
  suspended: "Suspended drawing on the credit line",
  resumed: "Resumed drawing on the credit line",
};

const COUPON_FIELDS: Field[] = [
  { key: "description", label: "Description", show: (v) => str(v) ?? "none" },
  { key: "maxRedemptions", label: "Redemptions at most", show: (v) => str(v) ?? "no limit" },
  { key: "perTeamLimit", label: "Per team at most", show: (v) => str(v) ?? "no limit" },
  { key: "expiresAt", label: "Ends", show: (v) => (str(v) ? str(v)!.slice(0, 10) : "never") },
];

const WEBHOOK_FIELDS: Field[] = [
  { key: "url", label: "URL", show: (v) => str(v) ?? "—" },
  { key: "events", label: "Events", show: (v) => (Array.isArray(v) ? v.map(words).join(", ") || "none" : "—") },
  { key: "description", label: "Description", show: (v) => str(v) ?? "none" },
  { key: "status", label: "Status", show: (v) => (v === "disabled_failing" ? "disabled after failures" : words(v)) },
];

const signed = (v: unknown) => {
  const n = int(v);
  return `${n !== null && n > 0n ? "+" : ""}${credits(v)}`;
};

/** What a row an unknown action wrote reads as: the action in words (a test holds every known action to a sentence). */
export const fallbackWords = (action: string) => action.replace(/[._]/g, " ").replace(/^./, (c) => c.toUpperCase());

/** A row's sentence and its before → after, by action; an action this list does not know still reads sensibly. */
export function describeAudit(action: string, raw: unknown): AuditDescription {
  const d = obj(raw) ?? {};
  const before = obj(d.before);
  const after = obj(d.after);
  const reason = str(d.reason) ? ` Reason: ${str(d.reason)}` : "";
  switch (action) {
    case "api_key.created":
      return { what: `Created ${d.mode === "test" ? "test " : ""}API key ${quoted(d.name)} (${words(d.role)}, ${str(d.prefix) ?? ""}…)`, changes: [] };
    case "api_key.limit_changed":
      return {
        what: `${!after ? "Removed the spending limit of" : before ? "Changed the spending limit of" : "Set a spending limit on"} API key ${quoted(d.name)} (${str(d.prefix) ?? ""}…)`,
        changes: diff(before, after, API_KEY_LIMIT_FIELDS),
      };
    case "api_key.revoked":
      return {
        what: `Revoked API key ${quoted(d.name)} (${str(d.prefix) ?? ""}…)`,
        changes: diff(before, after, [{ key: "status", label: "Status", show: words }]),
      };
    case "webhook_endpoint.created":
      return { what: `Added a webhook endpoint${str(d.url) ? ` for ${str(d.url)}` : ""}`, changes: diff(null, after, WEBHOOK_FIELDS) };
    case "webhook_endpoint.updated":
      return {
        what: `Changed a webhook endpoint${str(d.url) ? ` for ${str(d.url)}` : ""}${d.secretChanged === true ? " and its signing secret" : ""}`,
        changes: diff(before, after, WEBHOOK_FIELDS),
      };
    case "webhook_endpoint.deleted":
      return { what: `Deleted a webhook endpoint${str(d.url) ? ` for ${str(d.url)}` : ""}`, changes: diff(before, null, WEBHOOK_FIELDS) };
    case "budget.set":
      // Rows from before the log kept "before": the settings set are at the top level.
      return { what: before ? "Changed the budget" : "Set the budget", changes: diff(before, after ?? d, BUDGET_FIELDS) };
    case "budget.removed":
      return { what: "Removed the budget", changes: diff(before, null, BUDGET_FIELDS) };
    case "auto_top_up.updated": {
      const what = before?.enabled !== after?.enabled ? (after?.enabled ? "Turned auto top-up on" : "Turned auto top-up off") : "Changed auto top-up";
      return { what, changes: diff(before, after, AUTO_TOP_UP_FIELDS) };
    }
    case "auto_top_up.disabled":
      return {
        what: `Auto top-up turned itself off after a failed charge.${str(d.reason) ? ` ${str(d.reason)}` : ""}`,
        changes: diff(before, after, [AUTO_TOP_UP_FIELDS[0]!]),
      };
    case "webhook_endpoint.disabled_failing":
      return {
        what: `A webhook endpoint${str(d.url) ? ` (${str(d.url)})` : ""} was turned off after its deliveries kept failing`,
        changes: diff(before, after, [{ key: "status", label: "Status", show: words }]),
      };
    case "subscription.changed": {
      const b: Data | null = before ? { ...before, planName: d.beforePlanName } : null;
      const a: Data | null = after ? { ...after, planName: d.afterPlanName } : null;
      const planMoved = b && a && b.plan !== a.plan;
      const what = !b ? `Subscribed to ${str(d.afterPlanName) ?? str(a?.plan) ?? "a plan"}` : planMoved ? "Changed plan" : "Subscription changed";
      return { what, changes: diff(b, a, SUBSCRIPTION_FIELDS) };
    }
    case "plan_request.created":
      return { what: `Asked for an Enterprise plan${str(d.company) ? ` for ${str(d.company)}` : ""}`, changes: [] };
    case "plan_request.declined":
      return { what: `Declined the Enterprise plan request.${reason}`, changes: [] };
    case "plan_request.custom_plan":
      return { what: `Made a custom plan ${quoted(d.name)} at ${cents(d.priceCents)} (${words(d.cycle)})`, changes: [] };
    case "payment.succeeded":
      return {
        what: `Payment of ${cents(d.amountCents, d.currency)} succeeded (${paymentKindWords(str(d.kind) ?? "")}): ${credits(d.credits)} added`,
        changes: [],
      };
    case "payment.refunded":
    case "payment.disputed":
    case "payment.dispute_closed":
    case "payment.refund_failed": {
      const verb = {
        "payment.refunded": "Refund",
        "payment.disputed": "Dispute",
        "payment.dispute_closed": "Dispute closed",
        "payment.refund_failed": "Refund failed",
      }[action];
      const moved = int(d.creditsDelta);
      const creditsText = moved === null || moved === 0n ? "" : moved > 0n ? `; ${credits(moved)} taken back` : `; ${credits(-moved)} returned`;
      return {
        what: `${verb} on the ${cents(d.amountCents, d.currency)} payment${creditsText}`,
        changes: diff(before, after, [
          { key: "status", label: "Status", show: (v) => paymentStatusWords(str(v) ?? "").toLowerCase() },
          { key: "refundedCents", label: "Refunded", show: (v) => cents(v, d.currency) },
        ]),
      };
    }
    case "statement.refund":
    case "statement.dispute":
    case "statement.dispute_closed":
    case "statement.refund_failed": {
      const verb = {
        "statement.refund": "Refund",
        "statement.dispute": "Dispute",
        "statement.dispute_closed": "Dispute closed",
        "statement.refund_failed": "Refund failed",
      }[action];
      const moved = int(d.creditsDelta);
      const creditsText = moved === null || moved === 0n ? "" : moved > 0n ? `; ${credits(moved)} owed again` : `; ${credits(-moved)} repaid again`;
      return {
        what: `${verb} on the ${cents(d.amountCents, d.currency)} statement payment${creditsText}`,
        changes: diff(before, after, [
          { key: "refundedCents", label: "Refunded", show: (v) => cents(v, d.currency) },
          { key: "heldCents", label: "Held by a dispute", show: (v) => cents(v, d.currency) },
        ]),
      };
    }
    case "invoice.refund":
    case "invoice.dispute":
    case "invoice.dispute_closed":
    case "invoice.refund_failed": {
      const verb = {
        "invoice.refund": "Refund",
        "invoice.dispute": "Dispute",
        "invoice.dispute_closed": "Dispute closed",
        "invoice.refund_failed": "Refund failed",
      }[action];
      const moved = int(d.creditsDelta);
      const creditsText =
        moved === null || moved === 0n
          ? ""
          : moved > 0n
            ? `; ${credits(moved)} of its plan credits taken back`
            : `; ${credits(-moved)} of its plan credits returned`;
      return {
        what: `${verb} on the ${cents(d.amountCents, d.currency)} subscription payment${creditsText}`,
        changes: diff(before, after, [
          { key: "refundedCents", label: "Refunded", show: (v) => cents(v, d.currency) },
          { key: "heldCents", label: "Held by a dispute", show: (v) => cents(v, d.currency) },
        ]),
      };
    }
    case "payment.mismatch":
      return { what: "A payment did not match what Stripe charged and was not credited", changes: [] };
    case "payment.late_success":
      return { what: `A payment closed as ${words(d.was)} was paid after all and is credited`, changes: [] };
    case "invoice.generated":
      return { what: `Generated invoice ${str(d.number) ?? ""}`.trim(), changes: [] };
    case "credits.adjusted": {
      return {
        what: `Adjusted the balance by ${signed(d.amount)}.${reason}`,
        changes: before || after ? diff(before, after, [{ key: "balance", label: "Balance", show: credits }]) : [],
      };
    }
    case "credits.adjustment_requested": {
      const recent = int(d.recentCredits);
      const amount = int(d.amount);
      const abs = amount === null ? null : amount < 0n ? -amount : amount;
      const reach = recent && recent > 0n && abs !== null ? ` With this admin's adjustments in the last 24 hours it reached ${credits(abs + recent)}.` : "";
      return { what: `Asked for an adjustment of ${signed(d.amount)}, which waits for a second admin.${reach}${reason}`, changes: [] };
    }
    case "credits.adjustment_confirmed":
      return { what: `Confirmed another admin's adjustment of ${signed(d.amount)}.${reason}`, changes: [] };
    case "credits.adjustment_declined":
      return { what: `Declined an adjustment of ${signed(d.amount)}.${reason}`, changes: [] };
    case "payment.refunded_by_admin":
      return { what: `Refunded ${cents(d.amountCents, d.currency)} of the ${cents(d.paidCents, d.currency)} payment through Stripe.${reason}`, changes: [] };
    case "credit_line.limit_set":
      return {
        what: `Set the credit limit.${reason}`,
        changes: [{ label: "Credit limit", before: cents(d.fromCents), after: cents(d.toCents) }].filter((c) => c.before !== c.after),
      };
    case "billing_details.updated": {
      const changed = Array.isArray(d.changed) ? d.changed.map((f) => words(f)).join(", ") : "";
      return { what: `Changed the billing details${changed ? `: ${changed}` : ""}`, changes: [] };
    }
    case "coupon.created":
      return { what: `Created coupon ${str(d.code) ?? ""}`.trim(), changes: [] };
    case "coupon.disabled":
      return { what: `Disabled coupon ${str(d.code) ?? ""}`.trim(), changes: [] };
    case "coupon.updated":
      return { what: `Changed coupon ${str(d.code) ?? ""}`.trim(), changes: diff(before, after, COUPON_FIELDS) };
    case "coupon.ended":
      return { what: `Ended coupon ${str(d.code) ?? ""}`.trim(), changes: [] };
    case "coupon.enabled":
      return { what: `Enabled coupon${str(d.code) ? ` ${str(d.code)}` : ""} again`, changes: [] };
    case "stripe_event.replayed":
      return { what: `Replayed a failed Stripe event${str(d.type) ? ` (${str(d.type)})` : ""}`, changes: [] };
    case "stripe_event.dismissed":
      return { what: "Dismissed a failed Stripe event", changes: [] };
    case "sign_in.approved":
      return { what: `Approved the sign-in of ${str(d.email) ?? "someone"}.${reason}`, changes: [] };
    case "sign_in.rejected":
      return { what: `Rejected the sign-in of ${str(d.email) ?? "someone"}.${reason}`, changes: [] };
    case "team.created":
      return { what: d.personal === true ? "Created the personal team" : "Created the team", changes: [] };
    case "team.ownership_transferred":
      return { what: `Transferred ownership${str(d.email) ? ` to ${str(d.email)}` : ""}`, changes: [] };
    case "member.invited":
      return { what: `Invited ${str(d.email) ?? "someone"} as ${words(d.role)}`, changes: [] };
    case "member.role_changed":
      return {
        what: `Changed the role of ${str(d.email) ?? "a member"}`,
        changes: diff(before, after, [{ key: "role", label: "Role", show: words }]),
      };
    case "member.removed":
      return { what: `Removed ${str(d.email) ?? "a member"} (${words(d.role)})`, changes: [] };
    case "member.left":
      return { what: `Left the team (was ${words(d.role)})`, changes: [] };
    case "invitation.accepted":
      return { what: `${str(d.email) ?? "Someone"} accepted the invitation as ${words(d.role)}`, changes: [] };
    case "invitation.resent":
      return { what: `Sent the invitation to ${str(d.email) ?? "someone"} again`, changes: [] };
    case "invitation.revoked":
      return { what: `Revoked the invitation of ${str(d.email) ?? "someone"}`, changes: [] };
  }
  if (action.startsWith("credit_line.")) {
    const verb = CREDIT_LINE_WORDS[action.slice("credit_line.".length)];
    const status = str(d.from) && str(d.to) && d.from !== d.to ? [{ label: "Status", before: words(d.from), after: words(d.to) }] : [];
    const limit = str(d.fromCents) && str(d.toCents) ? [{ label: "Credit limit", before: cents(d.fromCents), after: cents(d.toCents) }] : [];
    return { what: `${verb ?? fallbackWords(action)}.${reason}`, changes: [...status, ...limit] };
  }
  // Unknown to this list: the action in words, and any before/after the row keeps.
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return {
    what: fallbackWords(action),
    changes:
      before || after
        ? diff(
            before,
            after,
            keys.map((key) => ({ key, label: words(key), show })),
          )
        : [],
  };
}
