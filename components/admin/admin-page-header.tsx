import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";

/** The top of an admin page below /admin: the way back, the title (the section's `page-title`) and what the page is for. */
export function AdminPageHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <PageHeader back={{ href: "/admin", label: "Admin" }} title={title}>
      <p className="mt-1 max-w-3xl text-slate-600 dark:text-slate-400">{children}</p>
    </PageHeader>
  );
}
