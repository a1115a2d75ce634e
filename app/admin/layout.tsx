import Link from "next/link";
import { adminPage } from "@/lib/edge/page";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { admin } = await adminPage();
  return (
    <div className="mx-auto max-w-5xl p-4 md:p-8">
      <header className="flex items-center justify-between border-b border-slate-200 pb-4 dark:border-slate-800">
        <p className="font-semibold">Creditdesk admin</p>
        <nav aria-label="Admin" className="flex gap-4">
          <Link href="/admin/credit-lines/sign-ins" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            Enterprise sign-ins
          </Link>
          <Link href="/" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            Back to my teams
          </Link>
        </nav>
      </header>
      <main id="main" className="pt-6">
        <p className="sr-only">Signed in as {admin.email}</p>
        {children}
      </main>
    </div>
  );
}
