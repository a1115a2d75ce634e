import Link from "next/link";
import type { ReactNode } from "react";

/** The top of an admin page below /admin: the way back, the title (the section's `page-title`) and what the page is for. */
export function AdminPageHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <p className="text-sm">
        <Link href="/admin" className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Admin
        </Link>
      </p>
      <h1 id="page-title" className="mt-2 text-2xl font-semibold">
        {title}
      </h1>
      <p className="mt-1 max-w-3xl text-slate-600 dark:text-slate-400">{children}</p>
    </>
  );
}
