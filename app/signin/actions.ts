"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/lib/auth/config";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { env } from "@/lib/env";

const form = z.object({
  provider: z.enum(["demo", "google", "github", "nodemailer"]),
  persona: z.string().max(40).optional(),
  email: z.email().max(254).optional(),
  callbackUrl: z.string().max(2000).optional(),
});

export async function signInAction(formData: FormData) {
  const parsed = form.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/signin?error=invalid");
  const { provider, persona, email, callbackUrl } = parsed.data;
  const redirectTo = safeRedirectPath(callbackUrl, "/", new URL(env().APP_URL).origin);
  try {
    if (provider === "demo") await signIn("demo", { persona, redirectTo });
    else if (provider === "nodemailer") await signIn("nodemailer", { email, redirectTo });
    else await signIn(provider, { redirectTo });
  } catch (e) {
    // signIn redirects by throwing; only real auth failures land here.
    if (e instanceof AuthError) redirect(`/signin?error=${encodeURIComponent(e.type)}`);
    throw e;
  }
}
