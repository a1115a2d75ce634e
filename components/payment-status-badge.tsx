const styles: Record<string, { label: string; className: string }> = {
  pending: { label: "Pending", className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  succeeded: { label: "Succeeded", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  failed: { label: "Failed", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  expired: { label: "Expired", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  canceled: { label: "Canceled", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  refunded: { label: "Refunded", className: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  partially_refunded: { label: "Partly refunded", className: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  disputed: { label: "Disputed", className: "bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200" },
};

/** A payment's status as a labelled badge (the text carries the meaning; color only helps). */
export function PaymentStatusBadge({ status }: { status: string }) {
  const s = styles[status] ?? { label: status, className: "bg-slate-200 text-slate-800" };
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${s.className}`}>{s.label}</span>;
}
