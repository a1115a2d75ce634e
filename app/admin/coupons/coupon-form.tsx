"use client";

import { useRef } from "react";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { createCouponRoute as createCouponRouteContract } from "@/app/api/admin/coupons/contract";
import { endpoint } from "@/lib/edge/endpoint";

const createCouponRoute = endpoint<typeof createCouponRouteContract>("POST /api/admin/coupons");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

type FieldProps = { name: string; label: string; hint?: string; invalid: string | undefined } & React.InputHTMLAttributes<HTMLInputElement>;

/** One input; `invalid` is the field the last refusal named. */
function Field({ name, label, hint, invalid, ...rest }: FieldProps) {
  return (
    <div>
      <label htmlFor={`coupon-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={`coupon-${name}`}
        name={name}
        aria-invalid={invalid === name}
        aria-describedby={hint ? `coupon-${name}-hint` : undefined}
        className={input}
        {...rest}
      />
      {hint && (
        <p id={`coupon-${name}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : null;
};

/** Create a code: outright credits, a bonus percentage on a top-up, or both. A refused code keeps what was typed. */
export function CouponForm() {
  const form = useRef<HTMLFormElement>(null);
  const create = useRouteMutation(createCouponRoute, { params: {} }, { onSuccess: () => form.current?.reset() });
  const invalid = create.error?.record.field;
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({
      code: text(f, "code") ?? "",
      description: text(f, "description"),
      grantCredits: text(f, "grantCredits"),
      bonusPercent: text(f, "bonusPercent"),
      minAmount: text(f, "minAmount"),
      maxRedemptions: text(f, "maxRedemptions"),
      perTeamLimit: text(f, "perTeamLimit"),
      expiresAt: text(f, "expiresAt"),
    });
  };
  return (
    <form
      ref={form}
      onSubmit={submit}
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900"
      noValidate
    >
      <Field name="code" label="Code" hint="3 to 32 letters, digits, - or _. Case does not matter." required autoComplete="off" invalid={invalid} />
      <Field name="description" label="Description (optional)" invalid={invalid} />
      <Field
        name="grantCredits"
        label="Credits granted"
        hint="Added outright when redeemed. 0 for none."
        inputMode="numeric"
        defaultValue="0"
        invalid={invalid}
      />
      <Field
        name="bonusPercent"
        label="Bonus on a top-up (%)"
        hint="Extra credits as a percentage of those bought, 0 to 100."
        inputMode="numeric"
        defaultValue="0"
        invalid={invalid}
      />
      <Field
        name="minAmount"
        label="Minimum top-up (USD, optional)"
        hint="The code applies only to top-ups of at least this much."
        inputMode="decimal"
        invalid={invalid}
      />
      <Field name="expiresAt" label="Expires (optional)" type="date" invalid={invalid} />
      <Field name="maxRedemptions" label="Total redemptions (optional)" hint="Across all teams. Empty for no limit." inputMode="numeric" invalid={invalid} />
      <Field name="perTeamLimit" label="Redemptions per team" inputMode="numeric" defaultValue="1" invalid={invalid} />
      <div className="sm:col-span-2">
        {create.error && (
          <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
            {create.error.record.message}
          </p>
        )}
        {create.data && (
          <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
            Created {create.data.code}.
          </p>
        )}
        <button disabled={create.isPending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {create.isPending ? "Creating…" : "Create code"}
        </button>
      </div>
    </form>
  );
}
