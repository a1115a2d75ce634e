"use client";

import { useId, useState } from "react";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { makeCustomPlanRoute as makeCustomPlanRouteContract } from "@/app/api/admin/plan-requests/[id]/custom-plan/contract";
import type { declinePlanRequestRoute as declinePlanRequestRouteContract } from "@/app/api/admin/plan-requests/[id]/decline/contract";
import { endpoint } from "@/lib/edge/endpoint";

const makeCustomPlanRoute = endpoint<typeof makeCustomPlanRouteContract>("POST /api/admin/plan-requests/:id/custom-plan");
const declinePlanRequestRoute = endpoint<typeof declinePlanRequestRouteContract>("POST /api/admin/plan-requests/:id/decline");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const text = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === "string" ? v : "";
};

/** Answers one Enterprise request: a custom plan for the team, or a decline with a reason the team sees. */
export function PlanRequestActions({ id, company }: { id: string; company: string }) {
  const uid = useId();
  const [mode, setMode] = useState<"plan" | "decline">("plan");
  // No refresh: the answered request stays on screen with its outcome until the next visit drops it from the list.
  const make = useRouteMutation(makeCustomPlanRoute, { params: { id }, refresh: false });
  const decline = useRouteMutation(declinePlanRequestRoute, { params: { id }, refresh: false });
  const bad = make.error?.record.field;
  const label = (name: string, children: string) => (
    <label htmlFor={`${uid}-${name}`} className="block text-sm font-medium">
      {children}
    </label>
  );
  if (make.data) {
    return (
      <p role="status" className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
        Made {make.data.planId} ({make.data.billingCycle.toLowerCase()}, Stripe lookup key {make.data.lookupKey}). The team can now subscribe to it.
      </p>
    );
  }
  if (decline.data) {
    return (
      <p role="status" className="mt-3 rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
        Declined. The team sees your reason and may ask again.
      </p>
    );
  }
  return (
    <div className="mt-3">
      <div role="group" aria-label={`Answer ${company}`} className="flex gap-3 text-sm">
        <button
          type="button"
          aria-pressed={mode === "plan"}
          onClick={() => setMode("plan")}
          className="font-medium text-indigo-700 aria-pressed:underline dark:text-indigo-300"
        >
          Make a custom plan
        </button>
        <button
          type="button"
          aria-pressed={mode === "decline"}
          onClick={() => setMode("decline")}
          className="font-medium text-red-700 aria-pressed:underline dark:text-red-400"
        >
          Decline
        </button>
      </div>
      {mode === "plan" ? (
        <form
          aria-label={`Custom plan for ${company}`}
          noValidate
          className="mt-3 grid gap-3 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            make.mutate({
              name: text(f, "name"),
              price: text(f, "price"),
              cycle: text(f, "cycle"),
              monthlyCredits: text(f, "monthlyCredits"),
              portalDisabled: f.get("portalDisabled") === "on",
            });
          }}
        >
          <div>
            {label("name", "Plan name")}
            <input id={`${uid}-name`} name="name" defaultValue={`${company} Enterprise`} maxLength={80} aria-invalid={bad === "name"} className={input} />
          </div>
          <div>
            {label("price", "Price (USD per cycle)")}
            <input id={`${uid}-price`} name="price" inputMode="decimal" placeholder="e.g. 2500" aria-invalid={bad === "price"} className={input} />
          </div>
          <div>
            {label("cycle", "Billing cycle")}
            <select id={`${uid}-cycle`} name="cycle" defaultValue="monthly" aria-invalid={bad === "cycle"} className={input}>
              <option value="monthly">Monthly</option>
              <option value="annual">Annual</option>
            </select>
          </div>
          <div>
            {label("monthlyCredits", "Monthly credits (empty for unlimited)")}
            <input id={`${uid}-monthlyCredits`} name="monthlyCredits" inputMode="numeric" aria-invalid={bad === "monthlyCredits"} className={input} />
          </div>
          <div className="flex items-center gap-2 sm:col-span-2">
            <input id={`${uid}-portalDisabled`} name="portalDisabled" type="checkbox" defaultChecked className="h-4 w-4" />
            <label htmlFor={`${uid}-portalDisabled`} className="text-sm">
              Billing portal disabled (changes go through us)
            </label>
          </div>
          <div className="sm:col-span-2">
            {make.error && (
              <p role="alert" className="mb-2 rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
                {make.error.record.message}
              </p>
            )}
            <button disabled={make.isPending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
              {make.isPending ? "Making…" : "Make the plan"}
            </button>
          </div>
        </form>
      ) : (
        <form
          aria-label={`Decline ${company}`}
          noValidate
          className="mt-3 grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            decline.mutate({ reason: text(new FormData(e.currentTarget), "reason") });
          }}
        >
          <div>
            {label("reason", "Reason (the team sees it)")}
            <textarea id={`${uid}-reason`} name="reason" rows={2} maxLength={1000} aria-invalid={decline.error?.record.field === "reason"} className={input} />
          </div>
          {decline.error && (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
              {decline.error.record.message}
            </p>
          )}
          <button
            disabled={decline.isPending}
            className="justify-self-start rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-600 disabled:opacity-60"
          >
            {decline.isPending ? "Declining…" : "Decline the request"}
          </button>
        </form>
      )}
    </div>
  );
}
