/** Only same-site paths may be redirect targets; anything else becomes the fallback. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  try {
    const u = new URL(value, "http://x.invalid");
    return u.host === "x.invalid" ? `${u.pathname}${u.search}` : fallback;
  } catch {
    return fallback;
  }
}
