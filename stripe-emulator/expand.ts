// Response rendering: `expand[]` paths and cursor pagination, both as Stripe does them.
import { invalid } from "./errors.js";
import { int, str, type Params } from "./params.js";
import { clone, type Store } from "./store.js";
import type { ListObject } from "./types.js";

type Includable = (store: Store, owner: Record<string, unknown>) => unknown;

// Fields Stripe leaves out unless expanded.
const INCLUDABLE: Record<string, Record<string, Includable>> = {
  "checkout.session": {
    line_items: (store, owner) => {
      const id = String(owner.id);
      const items = store.sessionItems.get(id) ?? [];
      return { object: "list", data: clone(items), has_more: false, url: `/v1/checkout/sessions/${id}/line_items` };
    },
  },
  invoice: {
    confirmation_secret: (store, owner) => {
      const payments = store.invoicePayments.get(String(owner.id)) ?? [];
      const latest = payments[payments.length - 1];
      const pi = latest ? (store.get(latest.payment.payment_intent) as { client_secret?: string } | undefined) : undefined;
      return pi?.client_secret ? { client_secret: pi.client_secret, type: "payment_intent" } : null;
    },
    payments: (store, owner) => {
      const id = String(owner.id);
      return { object: "list", data: clone(store.invoicePayments.get(id) ?? []), has_more: false, url: `/v1/invoice_payments?invoice=${id}` };
    },
  },
  charge: {
    refunds: (store, owner) => {
      const id = String(owner.id);
      const data = store.all("refund").filter((r) => r.charge === id);
      return { object: "list", data: clone(data), has_more: false, url: `/v1/charges/${id}/refunds` };
    },
  },
};

const MAX_DEPTH = 4;

function expandPath(store: Store, node: unknown, segments: string[], full: string): void {
  if (segments.length === 0 || node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) expandPath(store, item, segments, full);
    return;
  }
  if (typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  const [head, ...rest] = segments as [string, ...string[]];
  const includable = INCLUDABLE[String(record.object)]?.[head];
  if (!(head in record)) {
    if (!includable) throw invalid(`This property cannot be expanded (${head}).`, "expand");
    record[head] = includable(store, record);
  }
  let value = record[head];
  if (typeof value === "string") {
    const target = store.get(value);
    if (target) {
      value = clone(target);
      record[head] = value;
    }
  } else if (value !== null && typeof value !== "object") {
    throw invalid(`This property cannot be expanded (${head}).`, "expand");
  }
  expandPath(store, value, rest, full);
}

/** Deep copy of `obj` with every `expand[]` path replaced by the object it names. */
export function render<T>(store: Store, obj: T, expand: string[] = []): T {
  const out = clone(obj);
  for (const path of expand) {
    const segments = path.split(".");
    if (segments.length > MAX_DEPTH) {
      throw invalid(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, "expand");
    }
    expandPath(store, out, segments, path);
  }
  return out;
}

/** Cursor pagination over items already in Stripe's order (newest first). */
export function paginate<T extends { id: string }>(items: T[], p: Params, url: string): ListObject<T> {
  const limit = int(p, "limit", { min: 1, max: 100 }) ?? 10;
  const startingAfter = str(p, "starting_after");
  const endingBefore = str(p, "ending_before");
  let start = 0;
  let end = items.length;
  if (startingAfter) {
    const i = items.findIndex((x) => x.id === startingAfter);
    if (i < 0) throw invalid(`Invalid starting_after id: ${startingAfter}`, "starting_after", "resource_missing");
    start = i + 1;
  } else if (endingBefore) {
    const i = items.findIndex((x) => x.id === endingBefore);
    if (i < 0) throw invalid(`Invalid ending_before id: ${endingBefore}`, "ending_before", "resource_missing");
    end = i;
    start = Math.max(0, end - limit);
  }
  const page = items.slice(start, Math.min(end, start + limit));
  const hasMore = endingBefore ? start > 0 : start + limit < end;
  return { object: "list", data: page, has_more: hasMore, url };
}

/** List endpoint response: paginate, then expand `data.*` paths on the page. */
export function renderList<T extends { id: string }>(store: Store, items: T[], p: Params, url: string, expand: string[]): ListObject<T> {
  return render(store, paginate(items, p, url), expand);
}

/** Filters on `created` given as an integer or a {gt,gte,lt,lte} object. */
export function matchesCreated(created: number, p: Params): boolean {
  const c = p.created;
  if (c === undefined || c === "") return true;
  if (typeof c === "string") return created === Number(c);
  if (typeof c !== "object" || c === null) return true;
  const range = c as Record<string, unknown>;
  const num = (k: string): number | undefined => (typeof range[k] === "string" ? Number(range[k]) : undefined);
  const gt = num("gt");
  const gte = num("gte");
  const lt = num("lt");
  const lte = num("lte");
  if (gt !== undefined && !(created > gt)) return false;
  if (gte !== undefined && !(created >= gte)) return false;
  if (lt !== undefined && !(created < lt)) return false;
  if (lte !== undefined && !(created <= lte)) return false;
  return true;
}
