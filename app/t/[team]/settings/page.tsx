import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { teamPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Settings" };

const link = "font-medium text-indigo-700 hover:underline dark:text-indigo-300";

export default async function SettingsPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor } = await teamPage((await params).team);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Team settings
      </h1>
      <ul className="mt-6 max-w-2xl space-y-4">
        <li>
          <Link href={`/t/${team.slug}/settings/members`} className={link}>
            Members →
          </Link>
          <p className="text-sm text-slate-600 dark:text-slate-400">Who is in the team and what each role may do; invitations, roles, leaving.</p>
        </li>
        <li>
          <Link href={`/t/${team.slug}/settings/budget`} className={link}>
            Budget and alerts →
          </Link>
          <p className="text-sm text-slate-600 dark:text-slate-400">A monthly cap on spending, hard or soft, and alert emails at 50, 80 and 100%.</p>
        </li>
        {can(actor, "audit:read") && (
          <li>
            <Link href={`/t/${team.slug}/settings/audit`} className={link}>
              Audit log →
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">Who changed what in this team, and when.</p>
          </li>
        )}
        {can(actor, "apikeys:manage") && (
          <li>
            <Link href={`/t/${team.slug}/settings/api-keys`} className={link}>
              API keys →
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">Keys programs use to record usage and read billing.</p>
          </li>
        )}
        {can(actor, "billing:read") && (
          <li>
            <Link href={`/t/${team.slug}/webhooks`} className={link}>
              Webhooks →
            </Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Billing events sent to your endpoints (invoices, payments, budget alerts), each delivery with its attempts, and Resend.
            </p>
          </li>
        )}
      </ul>
    </section>
  );
}
