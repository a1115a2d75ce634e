import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// A single-use link token: "<row id>.<expiry seconds>.<nonce>.<signature>". The signature (HMAC of the rest with a
// secret and the link's purpose) refuses forged or edited links, or a link of another purpose, without a database
// read; the row keeps only sha256(nonce) and clears or replaces it when the link is used or sent again, so a link
// works once and a newer link replaces an older one.

export const hashNonce = (nonce: string) => createHash("sha256").update(nonce).digest("hex");

const sign = (secret: string, purpose: string, payload: string) => createHmac("sha256", secret).update(`${purpose}:${payload}`).digest("base64url");

export function makeSignedLink(secret: string, purpose: string, id: string, expiresAt: Date): { token: string; nonceHash: string } {
  const nonce = randomBytes(24).toString("base64url");
  const payload = `${id}.${Math.floor(expiresAt.getTime() / 1000)}.${nonce}`;
  return { token: `${payload}.${sign(secret, purpose, payload)}`, nonceHash: hashNonce(nonce) };
}

/** The token's row id and nonce hash when its signature holds ("invalid") and it has not expired ("expired"). */
export function readSignedLink(
  secret: string,
  purpose: string,
  token: unknown,
  now: Date,
): { ok: true; id: string; nonceHash: string } | { ok: false; reason: "invalid" | "expired" } {
  if (typeof token !== "string" || token.length > 400) return { ok: false, reason: "invalid" };
  const m = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "invalid" };
  const [, id, exp, nonce, sig] = m;
  const want = Buffer.from(sign(secret, purpose, `${id}.${exp}.${nonce}`));
  if (want.length !== Buffer.from(sig!).length || !timingSafeEqual(want, Buffer.from(sig!))) return { ok: false, reason: "invalid" };
  if (Number(exp) * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, id: id!, nonceHash: hashNonce(nonce!) };
}
