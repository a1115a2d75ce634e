import { z } from "zod";

// Text PostgreSQL cannot store (NUL), and text that is not Unicode (an unpaired UTF-16 surrogate, which the driver
// silently turns into U+FFFD), is refused at the edge: the answer is 400 or 404, never a 500 from the database.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT = "must not contain NUL bytes or invalid Unicode";

/**
 * Control characters (C0, DEL, C1, and the Unicode line and paragraph separators): a one-line name (a team's, a key's,
 * a billing detail) has none, or it forges lines in the plain-text emails that quote it and prints as "?" on invoices.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Text we did not check on its way in (a name a sign-in provider sent), as one line: each control character a space. */
export const oneLine = (s: string) => s.replace(new RegExp(CONTROL_CHARACTERS.source, "g"), " ");

/**
 * An email address with its ASCII letters in lower case, and nothing else changed. Not toLowerCase(): that folds
 * look-alikes into ASCII (the Kelvin sign "\u212A" becomes "k"), so an account at "\u212Aate@…" would be kate@….
 */
export const foldEmail = (email: string) => email.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** True when PostgreSQL can store the string exactly as given. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && !LONE_SURROGATE.test(s);
}

/** A value's path as people write it: ["events", 3, "quantity"] → "events[3].quantity". */
export const fieldPath = (path: readonly PropertyKey[]) =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");

/**
 * The path of the first string (value or object key) in a parsed body or action input that PostgreSQL cannot store,
 * as "events[3].metadata.note", or null when every string is fine. FormData entries are checked by name.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : fieldPath(path) || "body";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof FormData !== "undefined" && value instanceof FormData) {
    for (const [name, entry] of value.entries()) {
      if (!isStorableText(name)) return fieldPath(path) || "form";
      const found = findUnstorableText(typeof entry === "string" ? entry : entry.name, [...path, name]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!isStorableText(k)) return fieldPath(path) || "body";
      const found = findUnstorableText(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

const isUrlText = (s: string) => isStorableText(s) && !s.includes("\ufffd");

/** Strict percent-decoding: null for broken escapes and for bytes that are not UTF-8 (%C0%AF, %ED%A0%80, %FF). */
function decodeStrict(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * The first query parameter of a URL whose name or value is not storable text once percent-decoded (NUL, invalid
 * UTF-8, a broken escape), or null. URLSearchParams quietly turns invalid UTF-8 into U+FFFD, and Next hands routes a
 * URL already re-encoded that way, so U+FFFD (%EF%BF%BD) in a URL is refused too: no id, slug, cursor, date or path
 * this app puts in a URL contains it.
 */
export function findHostileQueryParam(url: string): string | null {
  const q = url.indexOf("?");
  if (q < 0) return null;
  const hash = url.indexOf("#", q);
  for (const part of url.slice(q + 1, hash < 0 ? undefined : hash).split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeStrict(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeStrict(part.slice(eq + 1));
    if (name === null || !isUrlText(name)) return "query";
    if (value === null || !isUrlText(value)) return name;
  }
  return null;
}

/** True when a URL's path has a segment that does not percent-decode to storable text (%00, %ED%A0%80, %C0%AF, %ZZ). */
export function hasHostilePath(url: string): boolean {
  return new URL(url).pathname.split("/").some((segment) => {
    const decoded = decodeStrict(segment);
    return decoded === null || !isUrlText(decoded);
  });
}

/** A string field PostgreSQL can store (zod). */
export const safeText = () => z.string().refine(isStorableText, UNSTORABLE_TEXT);

/** An id or slug as Creditdesk and Stripe make them (letters, digits, `_` and `-`): anything else cannot exist. */
export const idParam = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_-]+$/, "is not an id");
