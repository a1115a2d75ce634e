import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { enabledProviders } from "@/lib/auth/config";
import { demoPersonas } from "@/lib/auth/demo-personas";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const errors: Record<string, string> = {
  CredentialsSignin: "That demo persona could not sign in. Is the demo data seeded?",
  invalid: "That sign-in request was not valid. Please try again.",
  AccessDenied: "Access was denied.",
  OAuthAccountNotLinked: "That email address already signs in another way. Sign in the way you did before.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl, "/", new URL(env().APP_URL).origin);
  if (await getCurrentUser()) redirect(callbackUrl);
  // Provider factories keep user overrides (such as the demo provider's id) in `options` until Auth.js merges them.
  const providers = enabledProviders()
    .map((p) => (typeof p === "function" ? p() : p))
    .map((p) => ({ id: (p as { options?: { id?: string } }).options?.id ?? p.id, name: p.name }));
  const has = (id: string) => providers.some((p) => p.id === id);
  const error = typeof params.error === "string" ? (errors[params.error] ?? "Sign-in failed. Please try again.") : null;

  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="text-3xl font-semibold tracking-tight">Sign in to Creditdesk</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">Top up credits, watch usage and manage your team&apos;s billing.</p>
      {params["check-email"] && (
        <p role="status" className="mt-6 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          Check your email for a sign-in link.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-6 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error}
        </p>
      )}
      <div className="mt-8 space-y-3">
        {(["google", "github"] as const).filter(has).map((id) => (
          <form key={id} action={signInAction}>
            <input type="hidden" name="provider" value={id} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button className="w-full rounded-md border border-slate-300 bg-white px-4 py-2.5 font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800">
              Continue with {id === "google" ? "Google" : "GitHub"}
            </button>
          </form>
        ))}
        {providers
          .filter((p) => p.id === "enterprise")
          .map((p) => (
            <form key={p.id} action={signInAction}>
              <input type="hidden" name="provider" value="enterprise" />
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <button className="w-full rounded-md border border-slate-300 bg-white px-4 py-2.5 font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800">
                Continue with {p.name}
              </button>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                First time? A platform admin reviews new enterprise sign-ins before you can use Creditdesk.
              </p>
            </form>
          ))}
        {has("nodemailer") && (
          <form action={signInAction} className="space-y-2">
            <input type="hidden" name="provider" value="nodemailer" />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <label htmlFor="email" className="block text-sm font-medium">
              Email
            </label>
            <input
              id="email"
              name="email"
              type="email"
              required
              autoComplete="email"
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
            />
            <button className="w-full rounded-md bg-indigo-600 px-4 py-2.5 font-medium text-white hover:bg-indigo-500">Email me a sign-in link</button>
          </form>
        )}
      </div>
      {has("demo") && (
        <section aria-labelledby="demo-heading" className="mt-10 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950/40">
          <h2 id="demo-heading" className="font-semibold">
            Demo sign-in
          </h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">Demo mode: pick a seeded person. Payments go to the local Stripe emulator.</p>
          <ul className="mt-4 space-y-2">
            {demoPersonas.map((p) => (
              <li key={p.key}>
                <form action={signInAction}>
                  <input type="hidden" name="provider" value="demo" />
                  <input type="hidden" name="persona" value={p.key} />
                  <input type="hidden" name="callbackUrl" value={callbackUrl} />
                  <button className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-left hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800">
                    <span className="block font-medium">Sign in as {p.name}</span>
                    <span className="block text-sm text-slate-600 dark:text-slate-400">{p.blurb}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
      {providers.length === 0 && (
        <p role="alert" className="mt-8 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          No sign-in method is configured. Set Google or GitHub credentials, an enterprise OpenID Connect issuer (ENTERPRISE_OIDC_*), an SMTP server
          (EMAIL_SERVER), or run the demo.
        </p>
      )}
    </main>
  );
}
