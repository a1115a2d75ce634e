import type { Metadata } from "next";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import Link from "next/link";
import { formatCredits, formatDateTime } from "@/components/format";
import { listPendingAdjustments } from "@/lib/billing/adjustments/list-pending-adjustments";
import { type CustomerHit, SEARCH_MAX_LENGTH, searchCustomers } from "@/lib/billing/customers/search-customers";
import { isBillingError } from "@/lib/billing/errors";
import { adminPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Customers" };
export const dynamic = "force-dynamic";

const MATCHED: Record<CustomerHit["matchedBy"][number], string> = { name: "name", slug: "slug", email: "member email", id: "exact id" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await adminPage();
  const raw = (await searchParams).q;
  const q = typeof raw === "string" ? raw : "";
  let hits: CustomerHit[] = [];
  let refusal: string | null = null;
  try {
    hits = await searchCustomers({ db, q });
  } catch (e) {
    if (!isBillingError(e)) throw e;
    refusal = e.message;
  }
  const pending = await listPendingAdjustments({ db });
  return (
    <section aria-labelledby="page-title">
      <AdminPageHeader title="Customers">
        Find a team by the start of its name or slug, a member&apos;s email, or its exact Stripe customer id (cus_…) or team id.
      </AdminPageHeader>
      <form role="search" method="get" className="mt-4 flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor="customer-q" className="block text-sm font-medium">
            Search teams
          </label>
          <input
            id="customer-q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={SEARCH_MAX_LENGTH}
            autoComplete="off"
            aria-invalid={refusal !== null}
            aria-describedby={refusal ? "customer-q-error" : undefined}
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <button className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">Search</button>
      </form>
      {refusal && (
        <p id="customer-q-error" role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {refusal}
        </p>
      )}

      {q.trim() !== "" && !refusal && (
        <section aria-labelledby="results-title" className="mt-6">
          <h2 id="results-title" className="text-lg font-semibold">
            {hits.length === 0 ? "No team matches" : `${hits.length} ${hits.length === 1 ? "team" : "teams"}`}
          </h2>
          {hits.length === 0 ? (
            <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
              Nothing begins with “{q.trim()}”. Try the start of the name, a member&apos;s whole email, or the full cus_ id.
            </p>
          ) : (
            <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
              {hits.map((h) => (
                <li key={h.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3">
                  <div className="min-w-0">
                    <Link href={`/admin/customers/${h.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                      {h.name}
                    </Link>{" "}
                    <span className="text-sm text-slate-600 dark:text-slate-400">({h.slug})</span>
                    <p className="break-all text-sm text-slate-600 dark:text-slate-400">
                      {[...h.emails, h.stripeCustomerId].filter(Boolean).join(" · ") || "No members with email"}
                    </p>
                    <p className="text-xs text-slate-600 dark:text-slate-400">Matched by {h.matchedBy.map((m) => MATCHED[m]).join(", ")}</p>
                  </div>
                  <p className="tabular-nums text-sm">{formatCredits(h.balance)} credits</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="pending-title" className="mt-10">
        <h2 id="pending-title" className="text-lg font-semibold">
          Adjustments waiting for a second admin
        </h2>
        {pending.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">None waiting.</p>
        ) : (
          <ul className="mt-3 space-y-2">
            {pending.map((p) => (
              <li key={p.id} className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
                <Link href={`/admin/customers/${p.team.id}#adjustments`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {p.team.name}
                </Link>
                :{" "}
                <span className="tabular-nums">
                  {p.amount > 0n ? "+" : ""}
                  {formatCredits(p.amount)} credits
                </span>{" "}
                — “{p.reason}”, asked by {p.requestedBy ?? "a former admin"} on {formatDateTime(p.createdAt)}
                <p className="mt-1 text-slate-600 dark:text-slate-400">{p.why}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
