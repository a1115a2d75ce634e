"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/config";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { formAction } from "@/lib/edge/action";
import { env } from "@/lib/env";

const form = z.object({
  provider: z.enum(["demo", "google", "github", "nodemailer", "enterprise"]),
  persona: z.string().max(40).optional(),
  email: z.email().max(254).optional(),
  callbackUrl: z.string().max(2000).optional(),
});

// Auth.js's signIn answers by redirecting (it throws Next's redirect), which the pipeline lets through. A refused form
// goes back to the page with a message, as does a failed sign-in.
export const signInAction = formAction(
  { auth: "public", input: form },
  async ({ input: { provider, persona, email, callbackUrl } }) => {
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
  },
  (error) => redirect(`/signin?error=${error.code === "VALIDATION_FAILED" ? "invalid" : "failed"}`),
);

/** "Sign out" in the team layout: ends the session and goes to the sign-in page. */
export const signOutAction = formAction(
  { auth: "public", input: z.object({}) },
  async () => {
    await signOut({ redirectTo: "/signin" });
  },
  () => redirect("/signin"),
);
