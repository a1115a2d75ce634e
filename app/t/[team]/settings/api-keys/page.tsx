import type { Metadata } from "next";
import Link from "next/link";
import { apiKeysRoute } from "@/app/api/teams/[team]/api-keys/contract";
import { can } from "@/lib/auth/permissions";
import { readApiKeys } from "@/lib/billing/api-keys/list-api-keys";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { ApiKeysClient } from "./api-keys-client";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, db } = await teamPage((await params).team);
  const manage = can(actor, "apikeys:manage");
  const keys = manage ? await readApiKeys({ db, actor }) : [];
  return (
    <section aria-labelledby="page-title" className="max-w-4xl">
      <p className="text-sm">
        <Link href={`/t/${team.slug}/settings`} className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Team settings
        </Link>
      </p>
      <h1 id="page-title" className="mt-2 text-2xl font-semibold">
        API keys
      </h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Programs use a key to record usage and read billing for <span className="font-medium">{team.name}</span>. A read-only key can read balance, usage,
        budgets and invoices; a billing key can also record usage and change the budget.
      </p>
      {manage ? (
        <Prefetched entries={[prefetched({ contract: apiKeysRoute, params: { team: team.slug }, data: { keys } })]}>
          <ApiKeysClient team={team.slug} />
        </Prefetched>
      ) : (
        <p role="status" className="mt-6 rounded-md bg-slate-100 p-4 dark:bg-slate-800">
          Only the team&apos;s owners and admins can see and manage its API keys.
        </p>
      )}
    </section>
  );
}
