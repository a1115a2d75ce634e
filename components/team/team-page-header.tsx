import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";

/** The top of a team settings page: the way back to the settings, the title (the section's `page-title`) and what the page is for. */
export function TeamPageHeader({ teamSlug, title, children }: { teamSlug: string; title: string; children: ReactNode }) {
  return (
    <PageHeader back={{ href: `/t/${teamSlug}/settings`, label: "Team settings" }} title={title}>
      <p className="mt-2 text-slate-700 dark:text-slate-300">{children}</p>
    </PageHeader>
  );
}

/**
 * What a role may not see or do, said rather than hidden: the children when `allowed`, else `refusal` as a status
 * note. The page decides `allowed` with `can(actor, …)` (and reads nothing it may not show); the routes decide again.
 */
export function RoleGate({ allowed, refusal, className = "", children }: { allowed: boolean; refusal: ReactNode; className?: string; children: ReactNode }) {
  if (allowed) return <>{children}</>;
  return (
    <p role="status" className={`rounded-md bg-slate-100 p-4 dark:bg-slate-800 ${className}`}>
      {refusal}
    </p>
  );
}
