import type { Metadata } from "next";
import Link from "next/link";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import { type Column, DataTable } from "@/components/data-table";
import { formatCents, formatCredits, formatDateTime } from "@/components/format";
import { describeCouponEffect } from "@/lib/billing/coupons/check-coupon";
import { listCoupons } from "@/lib/billing/coupons/list-coupons";
import { adminPage } from "@/lib/edge/page";
import { CouponForm } from "./coupon-form";
import { CouponStatusActions } from "./coupon-status-actions";

export const metadata: Metadata = { title: "Coupons" };
export const dynamic = "force-dynamic";

type CouponRow = Awaited<ReturnType<typeof listCoupons>>[number];
const STATUS = { active: "Active", disabled: "Disabled", expired: "Expired" } as const;

const columns: Column<CouponRow>[] = [
  {
    header: "Code",
    className: "font-mono font-medium",
    cell: (c) => (
      <>
        <Link
          href={`/admin/coupons/${c.id}`}
          className="text-indigo-700 hover:underline dark:text-indigo-300"
          aria-label={`${c.code}: edit and see redemptions`}
        >
          {c.code}
        </Link>
        {c.description && <span className="block font-sans text-xs font-normal text-slate-600 dark:text-slate-400">{c.description}</span>}
      </>
    ),
  },
  { header: "Effect", cell: (c) => describeCouponEffect(c, null) },
  { header: "Minimum", priority: 3, className: "tabular-nums", cell: (c) => (c.minAmountCents > 0n ? formatCents(c.minAmountCents) : "—") },
  {
    header: "Used",
    priority: 3,
    className: "tabular-nums",
    cell: (c) => (
      <>
        {formatCredits(c.redemptionCount)}
        {c.maxRedemptions !== null ? ` / ${formatCredits(c.maxRedemptions)}` : ""}
        <span className="block text-xs text-slate-500 dark:text-slate-400">{c.perTeamLimit} per team</span>
      </>
    ),
  },
  { header: "Expires", priority: 3, cell: (c) => (c.expiresAt ? formatDateTime(c.expiresAt) : "Never") },
  { header: "Status", cell: (c) => STATUS[c.status] },
  {
    header: "Actions",
    hideHeader: true,
    align: "right",
    cell: (c) => <CouponStatusActions id={c.id} code={c.code} disabled={c.disabledAt !== null} />,
  },
];

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
      <DataTable columns={columns} rows={coupons} rowKey={(c) => c.id} className="mt-3" empty="No codes yet." />
    </section>
  );
}
