import { makeSignedLink, readSignedLink } from "../../auth/signed-link";
import { BillingError } from "../errors";

// The company-email confirmation link, a signed single-use link (lib/auth/signed-link.ts) naming the application.

function secret(): string {
  const s = process.env.CREDIT_LINE_LINK_SECRET || process.env.AUTH_SECRET;
  if (!s) throw new Error("AUTH_SECRET (or CREDIT_LINE_LINK_SECRET) must be set to sign credit-line confirmation links");
  return s;
}

const PURPOSE = "credit-line-email";

export function makeEmailLink(applicationId: string, expiresAt: Date): { token: string; nonceHash: string } {
  return makeSignedLink(secret(), PURPOSE, applicationId, expiresAt);
}

/** The link's parts when its signature holds and it has not expired; VALIDATION_FAILED otherwise. */
export function readEmailLink(token: unknown, now: Date): { applicationId: string; nonceHash: string } {
  const link = readSignedLink(secret(), PURPOSE, token, now);
  if (link.ok) return { applicationId: link.id, nonceHash: link.nonceHash };
  if (link.reason === "expired") {
    throw new BillingError("VALIDATION_FAILED", "This confirmation link has expired. The applicant can send a new one from the credit-line page.", {
      field: "token",
    });
  }
  throw new BillingError("VALIDATION_FAILED", "This confirmation link is not valid. Open the link from the email exactly as sent.", { field: "token" });
}
