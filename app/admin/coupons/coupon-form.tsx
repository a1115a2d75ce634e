"use client";

import { useActionState, useEffect, useRef } from "react";
import { type CouponFormState, createCouponAction } from "./actions";

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

function Field({ name, label, hint, state, ...rest }: { name: string; label: string; hint?: string; state: CouponFormState } & React.InputHTMLAttributes<HTMLInputElement>) {
  const bad = state?.ok === false && state.error.field === name;
  return (
    <div>
      <label htmlFor={`coupon-${name}`} className="block text-sm font-medium">{label}</label>
      <input id={`coupon-${name}`} name={name} aria-invalid={bad} aria-describedby={hint ? `coupon-${name}-hint` : undefined} className={input} {...rest} />
      {hint && <p id={`coupon-${name}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">{hint}</p>}
    </div>
  );
}

/** Create a code: outright credits, a bonus percentage on a top-up, or both. */
export function CouponForm() {
  const [state, action, pending] = useActionState(createCouponAction, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={action} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900" noValidate>
      <Field name="code" label="Code" hint="3 to 32 letters, digits, - or _. Case does not matter." required autoComplete="off" state={state} />
      <Field name="description" label="Description (optional)" state={state} />
      <Field name="grantCredits" label="Credits granted" hint="Added outright when redeemed. 0 for none." inputMode="numeric" defaultValue="0" state={state} />
      <Field name="bonusPercent" label="Bonus on a top-up (%)" hint="Extra credits as a percentage of those bought, 0 to 100." inputMode="numeric" defaultValue="0" state={state} />
      <Field name="minAmount" label="Minimum top-up (USD, optional)" hint="The code applies only to top-ups of at least this much." inputMode="decimal" state={state} />
      <Field name="expiresAt" label="Expires (optional)" type="date" state={state} />
      <Field name="maxRedemptions" label="Total redemptions (optional)" hint="Across all teams. Empty for no limit." inputMode="numeric" state={state} />
      <Field name="perTeamLimit" label="Redemptions per team" inputMode="numeric" defaultValue="1" state={state} />
      <div className="sm:col-span-2">
        {state?.ok === false && <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">{state.error.message}</p>}
        {state?.ok && <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">Created {state.data.code}.</p>}
        <button disabled={pending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {pending ? "Creating…" : "Create code"}
        </button>
      </div>
    </form>
  );
}
