"use client";

import { useId, useState } from "react";
import type { saveBillingDetailsRoute as saveBillingDetailsRouteContract } from "@/app/api/teams/[team]/billing-details/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const saveBillingDetailsRoute = endpoint<typeof saveBillingDetailsRouteContract>("PUT /api/teams/:team/billing-details");

type BillingDetailsView = OutputOf<typeof saveBillingDetailsRouteContract>;

type Field = Exclude<keyof BillingDetailsView, "updatedAt">;
const FIELDS: { key: Field; label: string; autoComplete: string; wide?: boolean; type?: string }[] = [
  { key: "companyName", label: "Company", autoComplete: "organization", wide: true },
  { key: "addressLine1", label: "Address line 1", autoComplete: "address-line1", wide: true },
  { key: "addressLine2", label: "Address line 2", autoComplete: "address-line2", wide: true },
  { key: "city", label: "City", autoComplete: "address-level2" },
  { key: "region", label: "State or region", autoComplete: "address-level1" },
  { key: "postalCode", label: "Postal code", autoComplete: "postal-code" },
  { key: "country", label: "Country", autoComplete: "country-name" },
  { key: "taxId", label: "Tax ID (VAT, GST, EIN …)", autoComplete: "off" },
  { key: "billingEmail", label: "Billing email", autoComplete: "email", type: "email" },
];

/** The billing details invoices print; owners, admins and billing members edit them, others see them read-only. */
export function BillingDetailsForm({ teamSlug, canEdit, initial }: { teamSlug: string; canEdit: boolean; initial: BillingDetailsView }) {
  const prefix = useId();
  const [values, setValues] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f.key, initial[f.key] ?? ""])) as Record<Field, string>,
  );
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; field?: string } | null>(null);
  // On success the hook refreshes the page, so "Invoices are billed to" shows what was saved.
  const { mutate, isPending: saving } = useRouteMutation(
    saveBillingDetailsRoute,
    { params: { team: teamSlug } },
    {
      onSuccess: () => setMessage({ kind: "ok", text: "Billing details saved. New invoices use them." }),
      onError: (e) => setMessage({ kind: "error", text: e.record.message, field: e.record.field }),
    },
  );

  function save() {
    setMessage(null);
    mutate(values);
  }

  return (
    <section aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`} className="text-lg font-semibold">
        Billing details
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Printed on invoices as &ldquo;Billed to&rdquo;.{" "}
        {canEdit ? "Changes apply to invoices made from now on." : "Only owners, admins and billing members can change them."}
      </p>
      <form
        className="mt-3 max-w-2xl"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <fieldset disabled={!canEdit || saving} className="grid gap-4 sm:grid-cols-2">
          <legend className="sr-only">Billing details</legend>
          {FIELDS.map((f) => (
            <div key={f.key} className={f.wide ? "sm:col-span-2" : undefined}>
              <label htmlFor={`${prefix}-${f.key}`} className="block text-sm font-medium">
                {f.label}
              </label>
              <input
                id={`${prefix}-${f.key}`}
                name={f.key}
                type={f.type ?? "text"}
                autoComplete={f.autoComplete}
                value={values[f.key]}
                readOnly={!canEdit}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                aria-invalid={message?.kind === "error" && message.field === f.key}
                className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 read-only:bg-slate-50 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900 dark:read-only:bg-slate-800"
              />
            </div>
          ))}
          {canEdit && (
            <div className="sm:col-span-2">
              <button type="submit" className="rounded-md bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
                {saving ? "Saving…" : "Save billing details"}
              </button>
            </div>
          )}
        </fieldset>
        <p
          role={message?.kind === "error" ? "alert" : "status"}
          data-testid="details-status"
          className={`mt-2 min-h-5 text-sm ${message?.kind === "error" ? "text-red-700 dark:text-red-400" : "text-emerald-800 dark:text-emerald-300"}`}
        >
          {message?.text}
        </p>
      </form>
      <BilledTo details={initial} />
    </section>
  );
}

/** The saved details as invoices print them (plain text: markup someone typed shows as typed). */
function BilledTo({ details: d }: { details: BillingDetailsView }) {
  const lines = [
    d.companyName,
    d.addressLine1,
    d.addressLine2,
    [d.postalCode, d.city, d.region].filter(Boolean).join(" "),
    d.country,
    d.taxId && `Tax ID: ${d.taxId}`,
    d.billingEmail,
  ].filter((l): l is string => Boolean(l));
  return (
    <div className="mt-4 max-w-2xl rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
      <h3 className="font-medium text-slate-600 dark:text-slate-400">Invoices are billed to</h3>
      {lines.length === 0 ? (
        <p className="mt-1 text-slate-600 dark:text-slate-400">Nothing yet: invoices show only the team name.</p>
      ) : (
        <address data-testid="billed-to" className="mt-1 not-italic">
          {lines.map((l, i) => (
            <span key={i} className="block">
              {l}
            </span>
          ))}
        </address>
      )}
    </div>
  );
}
