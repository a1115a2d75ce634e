import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { BillingError } from "../errors";

// The company-email confirmation link: "<application id>.<expiry seconds>.<nonce>.<signature>". The signature (HMAC of
// the rest with the app's secret) refuses forged or edited links without a database read; the application keeps only
// sha256(nonce) and clears it when the link is used, so a link works once and a newer link replaces an older one.

function secret(): string {
  const s = process.env.CREDIT_LINE_LINK_SECRET || process.env.AUTH_SECRET;
  if (!s) throw new Error("AUTH_SECRET (or CREDIT_LINE_LINK_SECRET) must be set to sign credit-line confirmation links");
  return s;
}

const sign = (payload: string) => createHmac("sha256", secret()).update(`credit-line-email:${payload}`).digest("base64url");
export const hashNonce = (nonce: string) => createHash("sha256").update(nonce).digest("hex");

export function makeEmailLink(applicationId: string, expiresAt: Date): { token: string; nonceHash: string } {
  const nonce = randomBytes(24).toString("base64url");
  const payload = `${applicationId}.${Math.floor(expiresAt.getTime() / 1000)}.${nonce}`;
  return { token: `${payload}.${sign(payload)}`, nonceHash: hashNonce(nonce) };
}

const INVALID = () =>
  new BillingError("VALIDATION_FAILED", "This confirmation link is not valid. Open the link from the email exactly as sent.", { field: "token" });

/** The link's parts when its signature holds and it has not expired; VALIDATION_FAILED otherwise. */
export function readEmailLink(token: unknown, now: Date): { applicationId: string; nonceHash: string } {
  if (typeof token !== "string" || token.length > 400) throw INVALID();
  const m = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw INVALID();
  const [, applicationId, exp, nonce, sig] = m;
  const want = Buffer.from(sign(`${applicationId}.${exp}.${nonce}`));
  if (want.length !== Buffer.from(sig!).length || !timingSafeEqual(want, Buffer.from(sig!))) throw INVALID();
  if (Number(exp) * 1000 <= now.getTime()) {
    throw new BillingError("VALIDATION_FAILED", "This confirmation link has expired. The applicant can send a new one from the credit-line page.", {
      field: "token",
    });
  }
  return { applicationId: applicationId!, nonceHash: hashNonce(nonce!) };
}
