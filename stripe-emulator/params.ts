// Readers for Stripe's form-encoded params (qs output: strings, arrays, nested objects), with Stripe's error messages.
import { invalid, missingParam } from "./errors.js";

export type Params = Record<string, unknown>;
export type Metadata = Record<string, string>;

function name(path: string, key: string): string {
  return path ? `${path}[${key}]` : key;
}

export function isParams(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when a param was sent and is not the empty string (Stripe's way of unsetting). */
export function has(p: Params, key: string): boolean {
  return p[key] !== undefined && p[key] !== "";
}

export function str(p: Params, key: string, opts: { required?: boolean; max?: number; path?: string } = {}): string | undefined {
  const v = p[key];
  const n = name(opts.path ?? "", key);
  if (v === undefined || v === "") {
    if (opts.required) throw missingParam(n);
    return undefined;
  }
  if (typeof v !== "string") throw invalid(`Invalid string: ${JSON.stringify(v)}`, n);
  if (opts.max !== undefined && v.length > opts.max) {
    throw invalid(`Invalid string: ${v.slice(0, 20)}...; must be at most ${opts.max} characters`, n);
  }
  return v;
}

export function int(p: Params, key: string, opts: { required?: boolean; min?: number; max?: number; path?: string } = {}): number | undefined {
  const v = p[key];
  const n = name(opts.path ?? "", key);
  if (v === undefined || v === "") {
    if (opts.required) throw missingParam(n);
    return undefined;
  }
  if (typeof v !== "string" || !/^-?\d+$/.test(v)) throw invalid(`Invalid integer: ${String(v)}`, n);
  const num = Number(v);
  if (!Number.isSafeInteger(num)) throw invalid(`Invalid integer: ${v}`, n);
  if (opts.min !== undefined && num < opts.min) {
    throw invalid(`This value must be greater than or equal to ${opts.min}.`, n);
  }
  if (opts.max !== undefined && num > opts.max) {
    throw invalid(`This value must be less than or equal to ${opts.max}.`, n);
  }
  return num;
}

export function bool(p: Params, key: string, opts: { path?: string } = {}): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw invalid(`Invalid boolean: ${String(v)}`, name(opts.path ?? "", key));
}

export function oneOf<T extends string>(p: Params, key: string, values: readonly T[], opts: { required?: boolean; path?: string } = {}): T | undefined {
  const v = str(p, key, opts);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalid(`Invalid ${key}: must be one of ${values.join(", ")}`, name(opts.path ?? "", key));
  }
  return v as T;
}

export function obj(p: Params, key: string, opts: { required?: boolean; path?: string } = {}): Params | undefined {
  const v = p[key];
  const n = name(opts.path ?? "", key);
  if (v === undefined || v === "") {
    if (opts.required) throw missingParam(n);
    return undefined;
  }
  if (!isParams(v)) throw invalid(`Invalid object`, n);
  return v;
}

/** qs yields arrays for `a[0]=..`, but objects keyed by index past its array limit; accept both. */
export function arr(p: Params, key: string, opts: { required?: boolean; path?: string } = {}): unknown[] | undefined {
  const v = p[key];
  const n = name(opts.path ?? "", key);
  if (v === undefined || v === "") {
    if (opts.required) throw missingParam(n);
    return undefined;
  }
  if (Array.isArray(v)) return v;
  if (isParams(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) {
    return Object.keys(v)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  }
  throw invalid(`Invalid array`, n);
}

export function strArr(p: Params, key: string, opts: { required?: boolean; path?: string } = {}): string[] | undefined {
  const a = arr(p, key, opts);
  if (a === undefined) return undefined;
  return a.map((item, i) => {
    if (typeof item !== "string" || item === "") throw invalid(`Invalid string: ${JSON.stringify(item)}`, `${name(opts.path ?? "", key)}[${i}]`);
    return item;
  });
}

export function objArr(p: Params, key: string, opts: { required?: boolean; path?: string } = {}): Params[] | undefined {
  const a = arr(p, key, opts);
  if (a === undefined) return undefined;
  return a.map((item, i) => {
    if (!isParams(item)) throw invalid(`Invalid object`, `${name(opts.path ?? "", key)}[${i}]`);
    return item;
  });
}

/** Applies Stripe metadata semantics: keys merge, '' deletes a key, metadata='' clears all. */
export function metadata(p: Params, existing: Metadata = {}, key = "metadata", path = ""): Metadata {
  const v = p[key];
  const n = name(path, key);
  if (v === undefined) return { ...existing };
  if (v === "") return {};
  if (!isParams(v)) throw invalid("Invalid metadata: must be an object", n);
  const out: Metadata = { ...existing };
  for (const [k, val] of Object.entries(v)) {
    if (k.length > 40) throw invalid(`Metadata key "${k}" exceeds the maximum length of 40 characters.`, `${n}[${k}]`);
    if (val === "" || val === null) {
      delete out[k];
      continue;
    }
    if (typeof val !== "string") throw invalid(`Invalid metadata value for "${k}": must be a string`, `${n}[${k}]`);
    if (val.length > 500) throw invalid(`Metadata values can have up to 500 characters, but "${k}" has ${val.length}.`, `${n}[${k}]`);
    out[k] = val;
  }
  if (Object.keys(out).length > 50) throw invalid("You can specify up to 50 keys in metadata.", n);
  return out;
}

export function expandParam(p: Params): string[] {
  return strArr(p, "expand") ?? [];
}

export function url(p: Params, key: string, opts: { required?: boolean; path?: string } = {}): string | undefined {
  const v = str(p, key, { ...opts, max: 5000 });
  if (v === undefined) return undefined;
  // Placeholders such as {CHECKOUT_SESSION_ID} are legal in Stripe URLs.
  const probe = v.replace(/\{[A-Z_]+\}/g, "x");
  let parsed: URL;
  try {
    parsed = new URL(probe);
  } catch {
    throw invalid("Not a valid URL", name(opts.path ?? "", key), "url_invalid");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalid("Not a valid URL", name(opts.path ?? "", key), "url_invalid");
  }
  return v;
}
