import type { Tx } from "../../db/client";
import { billingConfig } from "../config";

export type PriceTable = ReadonlyMap<string, bigint>;

type Entry = { loadedAt: number; prices: PriceTable; pending?: Promise<PriceTable> };
const cache = new WeakMap<object, Entry>();

/**
 * Active operations and their credits per unit, cached per client for PRICE_CACHE_MS (a price change reaches every
 * process within that time). `refresh` reloads unless the copy is under a second old; concurrent loads share one query.
 */
export async function getPriceTable({
  db,
  refresh = false,
  force = false,
  maxAgeMs,
}: {
  db: Tx;
  refresh?: boolean;
  /** Reload now whatever the age (after a price change in this process). */
  force?: boolean;
  maxAgeMs?: number;
}): Promise<PriceTable> {
  const maxAge = maxAgeMs ?? billingConfig().priceCacheMs;
  const hit = cache.get(db);
  const age = hit ? Date.now() - hit.loadedAt : Number.POSITIVE_INFINITY;
  // A refresh (asked when an event names an unknown operation) reloads at most once a second, so a stream of bad
  // operation names cannot turn into a query per request.
  if (hit && !force && age < (refresh ? Math.min(1000, maxAge) : maxAge)) return hit.prices;
  if (hit?.pending && !force) return hit.pending;
  const pending = db.operationPrice
    .findMany({ where: { active: true }, select: { operation: true, creditsPerUnit: true } })
    .then((rows) => {
      const prices: PriceTable = new Map(rows.map((r) => [r.operation, r.creditsPerUnit]));
      cache.set(db, { loadedAt: Date.now(), prices });
      return prices;
    })
    .finally(() => {
      const e = cache.get(db);
      if (e?.pending === pending) e.pending = undefined;
    });
  cache.set(db, { loadedAt: hit?.loadedAt ?? 0, prices: hit?.prices ?? new Map(), pending });
  return pending;
}
