import type { Metadata } from "next";
import Link from "next/link";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import { formatCents, formatCredits, formatDateTime } from "@/components/format";
import { describeCouponEffect } from "@/lib/billing/coupons/check-coupon";
import { listCoupons } from "@/lib/billing/coupons/list-coupons";
import { adminPage } from "@/lib/edge/page";
import { CouponForm } from "./coupon-form";
import { CouponStatusActions } from "./coupon-status-actions";

export const metadata: Metadata = { title: "Coupons" };
export const dynamic = "force-dynamic";

export default async function CouponsPage() {
  const { db } = await adminPage();
  const coupons = await listCoupons({ db });
  return (
    <section aria-labelledby="page-title">
      <AdminPageHeader title="Coupons and promo codes">Codes teams enter on Top Up. A team can use a code once unless you allow more.</AdminPageHeader>

      <h2 className="mt-8 text-lg font-semibold">New code</h2>
      <div className="mt-3">
        <CouponForm />
      </div>

      <h2 className="mt-10 text-lg font-semibold">Codes</h2>
      {coupons.length === 0 ? (
        <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">No codes yet.</p>
      ) : (
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Code
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Effect
                </th>
                <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
                  Minimum
                </th>
                <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
                  Used
                </th>
                <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
                  Expires
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {coupons.map((c) => {
                const status = { active: "Active", disabled: "Disabled", expired: "Expired" }[c.status];
                return (
                  <tr key={c.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                    <td className="px-4 py-2 font-mono font-medium">
                      <Link
                        href={`/admin/coupons/${c.id}`}
                        className="text-indigo-700 hover:underline dark:text-indigo-300"
                        aria-label={`${c.code}: edit and see redemptions`}
                      >
                        {c.code}
                      </Link>
                      {c.description && <span className="block font-sans text-xs font-normal text-slate-600 dark:text-slate-400">{c.description}</span>}
                    </td>
                    <td className="px-4 py-2">{describeCouponEffect(c, null)}</td>
                    <td className="hidden px-4 py-2 tabular-nums md:table-cell">{c.minAmountCents > 0n ? formatCents(c.minAmountCents) : "—"}</td>
                    <td className="hidden px-4 py-2 tabular-nums md:table-cell">
                      {formatCredits(c.redemptionCount)}
                      {c.maxRedemptions !== null ? ` / ${formatCredits(c.maxRedemptions)}` : ""}
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{c.perTeamLimit} per team</span>
                    </td>
                    <td className="hidden px-4 py-2 md:table-cell">{c.expiresAt ? formatDateTime(c.expiresAt) : "Never"}</td>
                    <td className="px-4 py-2">{status}</td>
                    <td className="px-4 py-2 text-right">
                      <CouponStatusActions id={c.id} code={c.code} disabled={c.disabledAt !== null} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
