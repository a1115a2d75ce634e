import type { Metadata } from "next";
import { ConfirmEmail } from "./confirm-email";

export const metadata: Metadata = { title: "Confirm company email" };
export const dynamic = "force-dynamic";

/**
 * Where the company-email link lands. Opening it changes nothing (mail scanners open links); the button confirms.
 * No sign-in needed: whoever reads the company mailbox confirms, and the signed single-use token is the proof.
 */
export default async function ConfirmCompanyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = (await searchParams).token;
  return (
    <main id="main" className="mx-auto max-w-lg p-8">
      <h1 className="text-2xl font-semibold">Confirm your company&apos;s credit-line application</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        Someone applied for a Creditdesk credit line and named your address as the company contact. Confirm only if you know about it.
      </p>
      <ConfirmEmail token={typeof token === "string" ? token : ""} />
    </main>
  );
}
