"use client";

import { useId, useState } from "react";

/** A read-only value with a Copy button and a spoken result (API key secrets, invitation links). */
export function CopyField({ label, value, what }: { label: string; value: string; what: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="w-full min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="button"
          className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900"
          onClick={() => {
            navigator.clipboard.writeText(value).then(
              () => setCopied("yes"),
              () => setCopied("failed"),
            );
          }}
        >
          Copy
        </button>
      </div>
      <p role="status" className="mt-2 min-h-5 text-sm">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? `Could not copy; select the ${what} and copy it by hand.` : ""}
      </p>
    </>
  );
}
