import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { userPage } from "@/lib/edge/page";
import { toRefusal } from "@/lib/edge/error-record";
import { previewInvitation } from "@/lib/teams/members/accept-invitation";
import { roleGuide } from "@/lib/teams/members/role-guide";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Team invitation" };
export const dynamic = "force-dynamic";

/**
 * Where an invitation link lands. Signed out, the person signs in first and comes back here. Opening the link changes
 * nothing (mail scanners open links): the button accepts, and only for the invited address.
 */
export default async function InvitationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const { user, db } = await userPage(`/invite?token=${encodeURIComponent(token)}`);
  const preview = await previewInvitation({ db, token, user }).then(
    (p) => ({ ok: true as const, ...p }),
    (e: unknown) => ({ ok: false as const, message: toRefusal(e).error.message }),
  );
  return (
    <main id="main" className="mx-auto max-w-lg p-8">
      <h1 className="text-2xl font-semibold">{preview.ok ? `Join ${preview.teamName}` : "Team invitation"}</h1>
      {preview.ok ? (
        <>
          <p className="mt-2 text-slate-700 dark:text-slate-300">
            {preview.invitedBy ?? "A team owner"} invited {preview.email} to join <span className="font-medium">{preview.teamName}</span> as{" "}
            <span className="font-medium">{roleGuide[preview.role].label.toLowerCase()}</span>: {roleGuide[preview.role].may}
          </p>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">This invitation works once, until {formatDateTime(preview.expiresAt)}.</p>
          <AcceptInvitation token={token} teamName={preview.teamName} />
        </>
      ) : (
        <>
          <p role="alert" className="mt-6 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
            {preview.message}
          </p>
          <p className="mt-4">
            <Link href="/" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Go to your dashboard
            </Link>
          </p>
        </>
      )}
    </main>
  );
}
