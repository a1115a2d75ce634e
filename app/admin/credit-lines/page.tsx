import type { Metadata } from "next";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import { z } from "zod";
import { formatCents, formatDateTime } from "@/components/format";
import { listApplications, type QueueItem } from "@/lib/billing/credit-lines/list-applications";
import { adminPage } from "@/lib/edge/page";
import { billingConfig } from "@/lib/billing/config";
import { ReviewFactsPanel } from "@/components/credit-lines/review-facts-panel";
import { getReviewFacts, suggestLimit } from "@/lib/billing/credit-lines/review-facts";
import type { LimitSuggestion, ReviewFacts } from "@/lib/billing/credit-lines/review-facts-schema";
import { LineActions, ReviewActions } from "./review-actions";

export const metadata: Metadata = { title: "Credit lines · Admin" };
export const dynamic = "force-dynamic";

const STATUSES = ["OPEN", "SUBMITTED", "AWAITING_EMAIL", "INFO_REQUESTED", "AWAITING_SECOND_APPROVAL", "APPROVED", "REJECTED", "WITHDRAWN"] as const;
const TYPES = ["ENTERPRISE", "INDIVIDUAL_WITH_PRODUCT", "INDIVIDUAL_WITHOUT_PRODUCT"] as const;
const STATUS_LABEL: Record<(typeof STATUSES)[number] | "DRAFT", string> = {
  OPEN: "Under way",
  DRAFT: "Draft",
  SUBMITTED: "Waiting for review",
  AWAITING_EMAIL: "Waiting for company email",
  INFO_REQUESTED: "Information requested",
  AWAITING_SECOND_APPROVAL: "Waiting for a second admin",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  WITHDRAWN: "Withdrawn",
};
const TYPE_LABEL: Record<(typeof TYPES)[number], string> = {
  ENTERPRISE: "Enterprise",
  INDIVIDUAL_WITH_PRODUCT: "Individual with a product",
  INDIVIDUAL_WITHOUT_PRODUCT: "Individual without a product",
};

export default async function AdminCreditLinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await adminPage();
  const sp = await searchParams;
  const status = z.enum(STATUSES).catch("OPEN").parse(sp.status);
  const type = z.enum(TYPES).optional().catch(undefined).parse(sp.type);
  const applications = await listApplications({ db, status, type });
  const now = new Date();
  // The facts beside each application, and the limit they suggest with its reason (the reviewer decides).
  const factsFor = async (a: QueueItem): Promise<Facts> => {
    const facts = await getReviewFacts({ db, teamId: a.team.id, now });
    const suggestion = suggestLimit(facts, { kind: a.kind, requestedLimitCents: a.requestedLimitCents, currentLimitCents: a.team.creditLimitCents });
    return { facts, suggestion };
  };
  const facts = await Promise.all(applications.map(factsFor));
  const healthyNeeded = billingConfig().creditLine.healthyCycles;
  return (
    <section aria-labelledby="page-title">
      <AdminPageHeader title="Credit-line applications">
        Oldest first. Approvals at or above the two-person amount wait for a second admin; nobody reviews their own team.
      </AdminPageHeader>
      <form method="get" className="mt-4 flex flex-wrap items-end gap-3 text-sm" aria-label="Filter applications">
        <label>
          <span className="block font-medium">Status</span>
          <select
            name="status"
            defaultValue={status}
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="block font-medium">Applicant type</span>
          <select
            name="type"
            defaultValue={type ?? ""}
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">Any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
        <button className="rounded-md bg-slate-700 px-3 py-1.5 font-medium text-white">Filter</button>
      </form>
      {applications.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          No applications here.
        </p>
      ) : (
        <ul className="mt-6 space-y-6">
          {applications.map((a, i) => (
            <Item key={a.id} a={a} facts={facts[i] ?? null} healthyNeeded={healthyNeeded} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Facts = { facts: ReviewFacts; suggestion: LimitSuggestion };

function Item({ a, facts, healthyNeeded }: { a: QueueItem; facts: Facts | null; healthyNeeded: number }) {
  const label = a.companyName ?? a.team.name;
  const inARow = facts?.facts.statements.onTimeInARow ?? null;
  // An increase is approved only while the line still has its healthy cycles (approveApplication refuses otherwise).
  const healthy =
    a.kind !== "INCREASE" || inARow === null ? null : inARow >= healthyNeeded ? (
      `${inARow} statements paid on time in a row (${healthyNeeded} needed)`
    ) : (
      <strong data-testid="increase-unhealthy" className="font-medium text-red-800 dark:text-red-300">
        Only {inARow} of the {healthyNeeded} statements paid on time in a row an increase needs: it cannot be approved.
      </strong>
    );
  const rows: [string, React.ReactNode][] = [
    ["Team", `${a.team.name} (${a.team.slug})`],
    ["Applicant", a.applicant ? `${a.applicant.name ?? ""} <${a.applicant.email ?? "no email"}>` : "—"],
    ["Type", `${TYPE_LABEL[a.applicantType]}${a.kind === "INCREASE" ? " · increase" : ""}`],
    ["Requested", `${formatCents(a.requestedLimitCents)} a month (expects ${formatCents(a.expectedUsageCents)} of usage)`],
    [
      "Current line",
      `${formatCents(a.team.creditLimitCents)}${a.team.suspended ? (a.team.suspendedReason === "STATEMENT_OVERDUE" ? " (suspended: a statement is overdue)" : " (suspended)") : ""}`,
    ],
    ["Healthy cycles", healthy],
    ["Company", a.companyName],
    ["Website", a.website],
    ["App link", a.appLink],
    ["Product", a.productInfo],
    ["Business use case", a.businessUseCase],
    ["Other materials", a.otherMaterials],
    [
      "Company email",
      a.contactEmail && `${a.contactEmail} · ${a.contactEmailConfirmedAt ? `confirmed ${formatDateTime(a.contactEmailConfirmedAt)}` : "not confirmed"}`,
    ],
    ["Guarantee", a.guaranteeCents > 0n ? `${formatCents(a.guaranteeCents)} required · ${formatCents(a.guaranteePaidCents)} paid` : null],
    ["First approval", a.firstApprover ? `${formatCents(a.approvedLimitCents ?? 0n)} by ${a.firstApprover.email ?? "?"}` : null],
    ["Submitted", a.submittedAt ? formatDateTime(a.submittedAt) : "—"],
  ];
  return (
    <li aria-label={`Application of ${label}`} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <p className="font-medium">
        {label} <span className="font-normal text-slate-600 dark:text-slate-400">· {STATUS_LABEL[a.status]}</span>
      </p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
        {rows
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt>{k}</dt>
              <dd className="whitespace-pre-wrap break-words">{v}</dd>
            </div>
          ))}
      </dl>
      {facts ? (
        <ReviewFactsPanel facts={facts.facts} suggestion={facts.suggestion} />
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Facts unavailable.</p>
      )}
      <h4 className="mt-4 text-sm font-semibold">Messages</h4>
      {a.messages.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">None.</p>
      ) : (
        <ol aria-label="Messages" className="mt-1 space-y-1 text-sm">
          {a.messages.map((m) => (
            <li key={m.id}>
              <span className="text-slate-600 dark:text-slate-400">
                {m.fromReviewer ? "Reviewer" : "Applicant"} · {formatDateTime(m.createdAt)}:
              </span>{" "}
              <span className="whitespace-pre-wrap">{m.body}</span>
            </li>
          ))}
        </ol>
      )}
      <h4 className="mt-4 text-sm font-semibold">Audit trail</h4>
      <ol aria-label="Audit trail" className="mt-1 space-y-1 text-xs text-slate-700 dark:text-slate-300">
        {a.audit.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.createdAt)} · {e.actor?.email ?? "the company email link"} · {e.action.replace("credit_line.", "").replace(/_/g, " ")}
            {e.reason ? ` — ${e.reason}` : ""}
          </li>
        ))}
      </ol>
      <ReviewActions id={a.id} status={a.status} label={label} suggestedLimit={String(a.requestedLimitCents / 100n)} />
      {a.team.creditLimitCents > 0n && (
        <LineActions teamId={a.team.id} teamName={a.team.name} suspended={a.team.suspended} overdueOnly={a.team.suspendedReason === "STATEMENT_OVERDUE"} />
      )}
    </li>
  );
}
