import type { Tx } from "../../db/client";
import { billingConfig } from "../config";
import { hashApiKey, looksLikeApiKey } from "./api-key-secret";
import { type ApiKeyCheck, verifyApiKey } from "./verify-api-key";

type Entry = { checkedAt: number; check: Promise<ApiKeyCheck>; answer?: ApiKeyCheck };

// The process's valid keys, by the hash of the secret, with when they were read (the start of the query). A key is
// trusted for apiKeyCacheMs (at most 1 s) after that read, so a revocation committed at T is refused by every
// instance from T + apiKeyCacheMs at the latest, and at once by the instance that revoked it (forgetApiKey).
const g = globalThis as unknown as { creditdeskApiKeys?: Map<string, Entry> };
const keys = (g.creditdeskApiKeys ??= new Map());
const MAX_KEYS = 10_000;

/**
 * verifyApiKey with a short per-process memory: an API request costs no key query while its key was read under
 * apiKeyCacheMs ago; concurrent requests with the same key share one query. Refusals are never remembered.
 */
export async function checkApiKey({ db, secret, maxAgeMs }: { db: Tx; secret: string; maxAgeMs?: number }): Promise<ApiKeyCheck> {
  const ttl = maxAgeMs ?? billingConfig().apiKeyCacheMs;
  if (ttl <= 0 || !looksLikeApiKey(secret)) return verifyApiKey({ db, secret });
  const hash = hashApiKey(secret);
  const now = Date.now();
  const hit = keys.get(hash);
  if (hit && now - hit.checkedAt < ttl) return hit.check;
  const check = verifyApiKey({ db, secret });
  const entry: Entry = { checkedAt: now, check };
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(hash, entry);
  const out = await check.catch((e: unknown) => {
    if (keys.get(hash) === entry) keys.delete(hash);
    throw e;
  });
  entry.answer = out;
  if (!out.ok && keys.get(hash) === entry) keys.delete(hash);
  return out;
}

/** Forget a key in this process at once (after revoking it here); other processes drop it within apiKeyCacheMs. */
export function forgetApiKey(apiKeyId: string): void {
  // A check still in flight may have read the key before the revocation: it is dropped too, to be read again.
  for (const [hash, entry] of keys) if (!entry.answer || (entry.answer.ok && entry.answer.key.id === apiKeyId)) keys.delete(hash);
}
