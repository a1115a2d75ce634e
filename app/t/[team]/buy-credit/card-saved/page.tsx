import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { isBillingError } from "@/lib/billing/errors";
import { teamPage } from "@/lib/edge/page";
import { finishCardSetup } from "@/lib/billing/cards/finish-card-setup";

export const metadata: Metadata = { title: "Card setup" };
export const dynamic = "force-dynamic";

/** Back from Stripe's card setup page: make the new card the default, then return to Buy Credit. */
export default async function CardSavedPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, db, gateway } = await teamPage((await params).team);
  const sessionId = (await searchParams).session_id;
  const back = `/t/${team.slug}/buy-credit`;
  let problem = "That card setup was not found for this team.";
  if (can(actor, "billing:write") && typeof sessionId === "string" && /^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) {
    let saved = false;
    try {
      saved = (await finishCardSetup({ db, gateway: gateway(), teamId: team.id, sessionId })) !== null;
      problem = "The card setup did not finish, so no card was saved.";
    } catch (e) {
      if (!isBillingError(e)) throw e;
      problem = e.message;
    }
    if (saved) redirect(`${back}?card=saved`);
  }
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Card not saved
      </h1>
      <p role="alert" className="mt-3 text-slate-700 dark:text-slate-300">
        {problem}
      </p>
      <p className="mt-6">
        <Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to Buy Credit
        </Link>
      </p>
    </section>
  );
}
