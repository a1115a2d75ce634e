import { paymentStatusWords } from "@/lib/billing/words";

const styles: Record<string, string> = {
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  expired: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  canceled: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  refunded: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  partially_refunded: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  disputed: "bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200",
};

/** A payment's status (either case) as a labelled badge (the text carries the meaning; color only helps). */
export function PaymentStatusBadge({ status }: { status: string }) {
  const className = styles[status.toLowerCase()] ?? "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200";
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${className}`}>{paymentStatusWords(status)}</span>;
}
