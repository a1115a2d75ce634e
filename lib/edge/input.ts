import { z } from "zod";
import { BillingError } from "../billing/errors";
import { findHostileQueryParam, findUnstorableText, UNSTORABLE_TEXT } from "../auth/input-text";
import { zodErrorRecord } from "./error-record";

// Parsing what a request carries: JSON bodies (size, UTF-8, storable text), query strings and path segments, each
// through the contract's zod schema. Every refusal is a BillingError the pipeline turns into the one error record.

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Throws VALIDATION_FAILED with the zod issue's field, or returns the parsed value. */
export function parseWith<S extends z.core.$ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const record = zodErrorRecord(r.error, prefix);
  throw new BillingError("VALIDATION_FAILED", record.message, { field: record.field });
}

/** Throws VALIDATION_FAILED naming the first string or key PostgreSQL cannot store (NUL, invalid Unicode). */
export function assertStorable(value: unknown): void {
  const field = findUnstorableText(value);
  if (field !== null) throw new BillingError("VALIDATION_FAILED", `${field}: ${UNSTORABLE_TEXT}`, { field });
}

/** Deeper than any body of ours; deeper still would blow the stack of the checks that walk it (a 500, not a 400). */
export const MAX_BODY_DEPTH = 64;

/** The body's bytes, reading no further than `limit` + one chunk whatever Content-Length says (or whether it is sent). */
async function readLimited(req: Request, limit: number): Promise<Uint8Array | null> {
  if (Number(req.headers.get("content-length") ?? 0) > limit) return null;
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** True when the JSON text nests arrays and objects deeper than `max` (brackets inside strings do not count). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A JSON body of at most 4 MB in UTF-8, nested at most 64 deep, whose every string and key is storable text. An empty body is `{}`. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const bytes = await readLimited(req, MAX_BODY_BYTES);
  if (bytes === null) throw new BillingError("VALIDATION_FAILED", "The body is larger than 4 MB.", { field: "body" });
  if (bytes.byteLength === 0) return {};
  let text: string;
  let body: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    body = JSON.parse(text) as unknown;
  } catch {
    throw new BillingError("VALIDATION_FAILED", "The body is not valid JSON in UTF-8.", { field: "body" });
  }
  if (nestsDeeperThan(text, MAX_BODY_DEPTH))
    throw new BillingError("VALIDATION_FAILED", `The body is nested deeper than ${MAX_BODY_DEPTH} levels.`, { field: "body" });
  assertStorable(body);
  return body;
}

/** 400 naming the first query parameter that is not storable text once decoded (NUL, invalid UTF-8, broken escapes). */
export function assertQueryText(req: Request): void {
  const field = findHostileQueryParam(req.url);
  if (field !== null) throw new BillingError("VALIDATION_FAILED", `${field}: ${UNSTORABLE_TEXT}`, { field });
}

/** The query string as an object of its first values, for the contract's query schema. */
export function queryObject(req: Request): Record<string, string> {
  return firstValues(new URL(req.url).searchParams.entries());
}

/**
 * Name → first value, as own properties: a name like `__proto__` or `constructor` is just a name (Object.fromEntries
 * defines properties rather than assigning them, so nothing reaches the prototype).
 */
export function firstValues<V>(entries: Iterable<[string, V]>): Record<string, V> {
  const seen = new Set<string>();
  const kept: [string, V][] = [];
  for (const [k, v] of entries) {
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push([k, v]);
  }
  return Object.fromEntries(kept);
}

/** A path segment that names nothing (NUL, invalid Unicode) is a 404, as a segment no row could have. */
export function assertParamsText(params: Record<string, string | string[]>): void {
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((s) => typeof s !== "string" || findUnstorableText(s) !== null)) {
      throw new BillingError("NOT_FOUND", name === "team" ? NOT_A_MEMBER : `That ${name} does not exist.`);
    }
  }
}

export const NOT_A_MEMBER = "That team does not exist or you are not a member.";
