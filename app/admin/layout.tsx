import Link from "next/link";
import { adminPage } from "@/lib/edge/page";

export const dynamic = "force-dynamic";

const ADMIN_LINKS = [
  ["/admin/customers", "Customers"],
  ["/admin/credit-lines", "Credit lines"],
  ["/admin/coupons", "Coupons"],
  ["/admin/stripe-events", "Failed Stripe events"],
  ["/admin/credit-lines/sign-ins", "Enterprise sign-ins"],
  ["/", "Back to my teams"],
] as const;

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { admin } = await adminPage();
  return (
    <div className="mx-auto max-w-5xl p-4 md:p-8">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 pb-4 dark:border-slate-800">
        <p className="font-semibold">Creditdesk admin</p>
        <nav aria-label="Admin" className="flex flex-wrap gap-x-4 gap-y-1">
          {ADMIN_LINKS.map(([href, label]) => (
            <Link key={href} href={href} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
              {label}
            </Link>
          ))}
        </nav>
      </header>
      <main id="main" className="pt-6">
        <p className="sr-only">Signed in as {admin.email}</p>
        {children}
      </main>
    </div>
  );
}
