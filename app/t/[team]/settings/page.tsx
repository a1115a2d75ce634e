import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { teamPage } from "@/lib/edge/page";
import { listMembers } from "@/lib/teams/list-members";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, db } = await teamPage((await params).team);
  const members = await listMembers({ db, actor });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Team settings
      </h1>
      <h2 className="mt-8 text-lg font-semibold">Members</h2>
      <table className="mt-3 w-full max-w-2xl text-left text-sm">
        <thead className="text-slate-600 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 font-medium">
              Name
            </th>
            <th scope="col" className="py-2 font-medium">
              Email
            </th>
            <th scope="col" className="py-2 font-medium">
              Role
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} className="border-t border-slate-200 dark:border-slate-800">
              <td className="py-2">{m.name ?? "—"}</td>
              <td className="py-2">{m.email}</td>
              <td className="py-2">{m.role.toLowerCase()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="mt-8 space-y-2" aria-label="More settings">
        <li>
          <Link href={`/t/${team.slug}/settings/budget`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Budget and alerts →
          </Link>
        </li>
        {can(actor, "audit:read") && (
          <li>
            <Link href={`/t/${team.slug}/settings/audit`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Audit log →
            </Link>
          </li>
        )}
      </ul>
      {can(actor, "apikeys:manage") && (
        <p className="mt-8">
          <Link href={`/t/${team.slug}/settings/api-keys`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Manage API keys →
          </Link>
        </p>
      )}
    </section>
  );
}
