"use client";

import { useId, useState } from "react";
import type { updateCouponRoute as updateCouponRouteContract } from "@/app/api/admin/coupons/[id]/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const updateCouponRoute = endpoint<typeof updateCouponRouteContract>("PATCH /api/admin/coupons/:id");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

type Fields = { description: string; maxRedemptions: string; perTeamLimit: string; expiresAt: string };

/** What may change after teams saw a code; a refused change keeps what was typed and marks the field. */
export function CouponEditForm({ id, initial }: { id: string; initial: Fields }) {
  const uid = useId();
  const [v, setV] = useState(initial);
  const update = useRouteMutation(updateCouponRoute, { params: { id } });
  const invalid = update.error?.record.field;
  const field = (name: keyof Fields, label: string, props: React.InputHTMLAttributes<HTMLInputElement> & { hint?: string } = {}) => {
    const { hint, ...rest } = props;
    return (
      <div>
        <label htmlFor={`${uid}-${name}`} className="block text-sm font-medium">
          {label}
        </label>
        <input
          id={`${uid}-${name}`}
          value={v[name]}
          onChange={(e) => setV({ ...v, [name]: e.target.value })}
          aria-invalid={invalid === name}
          aria-describedby={hint ? `${uid}-${name}-hint` : undefined}
          className={input}
          {...rest}
        />
        {hint && (
          <p id={`${uid}-${name}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {hint}
          </p>
        )}
      </div>
    );
  };
  return (
    <form
      aria-label="Edit the code"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(v);
      }}
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900"
    >
      {field("description", "Description (optional)", { maxLength: 200 })}
      {field("expiresAt", "Ends (optional)", { type: "date", hint: "The code stops applying after this day (UTC). Empty: it never ends." })}
      {field("maxRedemptions", "Total redemptions (optional)", { inputMode: "numeric", hint: "Not below what was already used. Empty for no limit." })}
      {field("perTeamLimit", "Redemptions per team", { inputMode: "numeric" })}
      <div className="sm:col-span-2">
        {update.error && (
          <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
            {update.error.record.message}
          </p>
        )}
        {update.data && !update.error && (
          <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
            Saved {update.data.code}.
          </p>
        )}
        <button disabled={update.isPending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
