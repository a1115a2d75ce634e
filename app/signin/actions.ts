"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/lib/auth/config";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { action } from "@/lib/edge/action";
import { env } from "@/lib/env";

const form = z.object({
  provider: z.enum(["demo", "google", "github", "nodemailer"]),
  persona: z.string().max(40).optional(),
  email: z.email().max(254).optional(),
  callbackUrl: z.string().max(2000).optional(),
});

// Auth.js's signIn answers by redirecting (it throws Next's redirect), which the pipeline lets through.
const signInWith = action({ auth: "public", input: form }, async ({ input: { provider, persona, email, callbackUrl } }) => {
  const redirectTo = safeRedirectPath(callbackUrl, "/", new URL(env().APP_URL).origin);
  try {
    if (provider === "demo") await signIn("demo", { persona, redirectTo });
    else if (provider === "nodemailer") await signIn("nodemailer", { email, redirectTo });
    else await signIn(provider, { redirectTo });
  } catch (e) {
    // Only real auth failures land here.
    if (e instanceof AuthError) redirect(`/signin?error=${encodeURIComponent(e.type)}`);
    throw e;
  }
});

/** The sign-in page's forms: a refused form goes back to the page with a message, as does a failed sign-in. */
export async function signInAction(formData: FormData): Promise<void> {
  const r = await signInWith(formData);
  if (!r.ok) redirect(`/signin?error=${r.error.code === "VALIDATION_FAILED" ? "invalid" : "failed"}`);
}
