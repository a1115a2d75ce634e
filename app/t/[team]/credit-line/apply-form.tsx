"use client";

import Link from "next/link";
import { useId, useState } from "react";
import type {
  saveCreditLineDraftRoute as saveCreditLineDraftRouteContract,
  submitCreditLineRoute as submitCreditLineRouteContract,
} from "@/app/api/teams/[team]/credit-line/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { formatCents } from "@/components/format";
import type { Application } from "./words";
import { type ApplicantTypeName, CREDIT_LINE_TEXT_LIMITS, NO_PRODUCT_MESSAGE } from "@/lib/billing/credit-lines/application-limits";
import { endpoint } from "@/lib/edge/endpoint";

const saveCreditLineDraftRoute = endpoint<typeof saveCreditLineDraftRouteContract>("PUT /api/teams/:team/credit-line");
const submitCreditLineRoute = endpoint<typeof submitCreditLineRouteContract>("POST /api/teams/:team/credit-line");

type Field = "companyName" | "website" | "productInfo" | "businessUseCase" | "appLink" | "otherMaterials" | "contactEmail" | "expectedUsage" | "requestedLimit";
const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

const TYPES: [ApplicantTypeName, string, string][] = [
  ["ENTERPRISE", "Enterprise", "A company: we confirm an address on its website's domain."],
  ["INDIVIDUAL_WITH_PRODUCT", "Individual with a product", "Your product, website or app we can look at."],
  ["INDIVIDUAL_WITHOUT_PRODUCT", "Individual without a product", "No product or project yet."],
];

/** Which fields each applicant type fills in, in order; required ones are marked by the rules in application-input. */
const FIELDS: Record<Exclude<ApplicantTypeName, "INDIVIDUAL_WITHOUT_PRODUCT">, [Field, string, boolean?][]> = {
  ENTERPRISE: [
    ["companyName", "Company name"],
    ["website", "Company website"],
    ["productInfo", "Product", true],
    ["businessUseCase", "Business use case", true],
    ["contactEmail", "Company email (on the website's domain)"],
    ["otherMaterials", "Other materials (optional)", true],
  ],
  INDIVIDUAL_WITH_PRODUCT: [
    ["productInfo", "Product or project", true],
    ["website", "Website"],
    ["appLink", "App download link"],
    ["otherMaterials", "Other verifiable materials (optional)", true],
  ],
};

const dollarsText = (cents: bigint) => (cents > 0n ? `${cents / 100n}${cents % 100n ? `.${String(cents % 100n).padStart(2, "0")}` : ""}` : "");

/** The draft's values as the form holds them. */
function fromDraft(d: Application | null): Partial<Record<Field, string>> {
  if (!d) return {};
  const text = { companyName: d.companyName, website: d.website, productInfo: d.productInfo, businessUseCase: d.businessUseCase, appLink: d.appLink };
  const more = { otherMaterials: d.otherMaterials, contactEmail: d.contactEmail };
  const all = { ...text, ...more, expectedUsage: dollarsText(d.expectedUsageCents), requestedLimit: dollarsText(d.requestedLimitCents) };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v)) as Partial<Record<Field, string>>;
}

export function ApplyForm({
  teamSlug,
  guaranteeFromCents,
  currentLimitCents,
  draft,
}: {
  teamSlug: string;
  guaranteeFromCents: bigint;
  currentLimitCents: bigint;
  draft: Application | null;
}) {
  const uid = useId();
  const [type, setType] = useState<ApplicantTypeName | null>(draft?.applicantType ?? null);
  const [values, setValues] = useState<Partial<Record<Field, string>>>(() => fromDraft(draft));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = useRouteMutation(
    submitCreditLineRoute,
    { params: { team: teamSlug } },
    { onError: (e) => e.record.field && setErrors({ [e.record.field]: e.record.message }) },
  );
  const field = ([name, label, multiline]: [Field, string, boolean?]) => {
    const props = {
      id: `${uid}-${name}`,
      name,
      value: values[name] ?? "",
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        setValues((v) => ({ ...v, [name]: e.target.value }));
        setErrors(({ [name]: _gone, ...rest }) => rest);
      },
      "aria-invalid": errors[name] !== undefined,
      "aria-describedby": errors[name] ? `${uid}-${name}-error` : undefined,
      className: input,
    };
    return (
      <div key={name}>
        <label htmlFor={props.id} className="block text-sm font-medium">
          {label}
        </label>
        {multiline ? <textarea rows={3} maxLength={CREDIT_LINE_TEXT_LIMITS.long} {...props} /> : <input maxLength={CREDIT_LINE_TEXT_LIMITS.url} {...props} />}
        {errors[name] && (
          <p id={`${uid}-${name}-error`} className="mt-1 text-xs text-red-800 dark:text-red-300">
            {errors[name]}
          </p>
        )}
      </div>
    );
  };
  const save = useRouteMutation(
    saveCreditLineDraftRoute,
    { params: { team: teamSlug }, refresh: false },
    { onError: (e) => e.record.field && setErrors({ [e.record.field]: e.record.message }) },
  );
  const failed = submit.error ?? save.error;
  const general = failed && !failed.record.field ? failed.record.message : null;
  return (
    <div className="mt-3">
      <fieldset>
        <legend className="text-sm font-medium">Who is applying?</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {TYPES.map(([value, label, hint]) => (
            <label
              key={value}
              className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-3 text-sm has-checked:border-indigo-600 dark:border-slate-700"
            >
              <input type="radio" name="applicantType" value={value} checked={type === value} onChange={() => setType(value)} />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-slate-600 dark:text-slate-400">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {type === "INDIVIDUAL_WITHOUT_PRODUCT" && (
        <div role="status" className="mt-4 rounded-md bg-indigo-50 p-4 text-sm dark:bg-indigo-950">
          <p>{NO_PRODUCT_MESSAGE}</p>
          <Link href={`/t/${teamSlug}/top-up`} className="mt-2 inline-block font-medium text-indigo-700 underline dark:text-indigo-300">
            Top up your balance
          </Link>
        </div>
      )}
      {type && type !== "INDIVIDUAL_WITHOUT_PRODUCT" && (
        <form
          aria-label="Credit-line application"
          noValidate
          className="mt-4 grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const body = { applicantType: type, ...values, expectedUsage: values.expectedUsage ?? "", requestedLimit: values.requestedLimit ?? "" };
            // The checks load with the first send (zod stays off the page until then).
            void import("@/lib/billing/credit-lines/application-input").then(({ applicationFieldErrors }) => {
              const found = applicationFieldErrors(body);
              setErrors(found);
              if (Object.keys(found).length === 0) submit.mutate(body);
            });
          }}
        >
          {FIELDS[type].map(field)}
          {field(["expectedUsage", "Expected monthly usage (USD)"])}
          {field([
            "requestedLimit",
            currentLimitCents > 0n ? `New monthly limit (USD; now ${formatCents(currentLimitCents)})` : "Requested monthly limit (USD)",
          ])}
          <p className="text-xs text-slate-600 dark:text-slate-400">
            First lines are generally up to $200 a month. Requests of {formatCents(guaranteeFromCents)} a month or more need a guarantee deposit of the
            requested amount, paid through Checkout, before approval.
          </p>
          {general && (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
              {general}
            </p>
          )}
          {save.isSuccess && !save.isPending && (
            <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
              Draft saved. It is not sent until you send it.
            </p>
          )}
          <div className="flex flex-wrap gap-3">
            <button
              disabled={submit.isPending}
              className="justify-self-start rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
            >
              {submit.isPending ? "Sending…" : "Send application"}
            </button>
            <button
              type="button"
              disabled={save.isPending}
              onClick={() => save.mutate({ applicantType: type, ...values })}
              className="rounded-md border border-slate-300 px-4 py-2 font-medium dark:border-slate-700"
            >
              Save draft
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
