import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { type Column, DataTable } from "@/components/data-table";
import { formatCents, formatCredits, formatDateTime } from "@/components/format";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import { describeCouponEffect } from "@/lib/billing/coupons/check-coupon";
import { getCouponRedemptions } from "@/lib/billing/coupons/list-redemptions";
import { isBillingError } from "@/lib/billing/errors";
import { adminPage } from "@/lib/edge/page";
import { CouponStatusActions } from "../coupon-status-actions";
import { CouponEditForm } from "./coupon-edit-form";

export const metadata: Metadata = { title: "Coupon" };
export const dynamic = "force-dynamic";

const STATUS = { active: "Active", disabled: "Disabled", expired: "Ended" } as const;
const REDEMPTION = { RESERVED: "Reserved (checkout open)", APPLIED: "Applied", RELEASED: "Released (checkout not paid)" } as const;

type Redemption = Awaited<ReturnType<typeof getCouponRedemptions>>["redemptions"][number];

const redemptionColumns: Column<Redemption>[] = [
  {
    header: "Team",
    cell: (r) => (
      <>
        <Link href={`/admin/customers/${r.team.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
          {r.team.name}
        </Link>
        <span className="block text-xs text-slate-600 dark:text-slate-400">{r.team.slug}</span>
      </>
    ),
  },
  { header: "When", cell: (r) => formatDateTime(r.createdAt) },
  { header: "Credits", align: "right", className: "tabular-nums", cell: (r) => formatCredits(r.creditsGranted) },
  {
    header: "Top-up",
    align: "right",
    className: "tabular-nums",
    cell: (r) =>
      r.payment ? (
        <>
          {formatCents(r.payment.amountCents, r.payment.currency)} <PaymentStatusBadge status={r.payment.status} />
        </>
      ) : (
        "—"
      ),
  },
  { header: "Status", cell: (r) => REDEMPTION[r.status] },
];

export default async function CouponPage({ params }: { params: Promise<{ id: string }> }) {
  const { db } = await adminPage();
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) notFound();
  let data: Awaited<ReturnType<typeof getCouponRedemptions>>;
  try {
    data = await getCouponRedemptions({ db, couponId: id });
  } catch (e) {
    if (isBillingError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const { coupon: c, redemptions } = data;
  return (
    <section aria-labelledby="page-title">
      <p className="text-sm">
        <Link href="/admin/coupons" className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Coupons
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="page-title" className="font-mono text-2xl font-semibold">
            {c.code}
          </h1>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            {describeCouponEffect(c, null)}
            {c.minAmountCents > 0n ? ` · top-ups of ${formatCents(c.minAmountCents)} or more` : ""} · {STATUS[c.status]} · used{" "}
            {formatCredits(c.redemptionCount)}
            {c.maxRedemptions !== null ? ` of ${formatCredits(c.maxRedemptions)}` : ""} times
          </p>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            The code and what it gives cannot change once teams have seen it: end it and create another for other terms.
          </p>
        </div>
        <CouponStatusActions id={c.id} code={c.code} disabled={c.disabledAt !== null} withEnd={c.status !== "expired"} />
      </div>

      <h2 className="mt-8 text-lg font-semibold">Edit</h2>
      <div className="mt-3">
        <CouponEditForm
          id={c.id}
          initial={{
            description: c.description ?? "",
            maxRedemptions: c.maxRedemptions === null ? "" : String(c.maxRedemptions),
            perTeamLimit: String(c.perTeamLimit),
            expiresAt: c.expiresAt && c.status !== "expired" ? c.expiresAt.toISOString().slice(0, 10) : "",
          }}
        />
      </div>

      <h2 className="mt-10 text-lg font-semibold">Redemptions</h2>
      <DataTable
        columns={redemptionColumns}
        rows={redemptions}
        rowKey={(r) => r.id}
        caption={`Redemptions of ${c.code}, newest first`}
        rowTestId="coupon-redemption"
        className="mt-3"
        empty="No team has used this code yet."
      />
    </section>
  );
}
