import { formatCents } from "./format";

// Shared by the interactive billing forms: JSON calls to the app's own routes, and dollar input parsed to cents.
export type ApiError = { code: string; message: string; field?: string };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** POST (or PUT) JSON; a failed call comes back as a value with a message a person can act on, never a throw. */
export async function sendJson<T>(url: string, body: unknown, method: "POST" | "PUT" = "POST"): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as ({ error?: ApiError } & T) | null;
    if (!res.ok) return { ok: false, error: json?.error ?? { code: "INTERNAL", message: "Something went wrong. Nothing was charged; please try again." } };
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, error: { code: "NETWORK", message: "We could not reach Creditdesk. Check your connection and try again; a retry never charges twice." } };
  }
}

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Dollars as typed ("1,250.5") → integer cents, or null when it is not an amount with at most two decimals. */
export function dollarsToCents(text: string): bigint | null {
  const m = AMOUNT.exec(text.trim().replace(/,/g, ""));
  return m ? BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0")) : null;
}

/** Dollars as typed → integer cents, or a message; the server checks the same rules again. */
export function parseDollarInput(text: string, opts: { min: bigint; max: bigint; noun: string; example: string }): { cents: bigint } | { error: string } {
  const cents = dollarsToCents(text);
  if (cents === null) return { error: `Enter an amount in dollars with at most two decimals, like ${opts.example} or ${opts.example}.50.` };
  if (cents < opts.min) return { error: `The minimum ${opts.noun} is ${formatCents(opts.min)}.` };
  if (cents > opts.max) return { error: `The maximum ${opts.noun} is ${formatCents(opts.max)}.` };
  return { cents };
}
