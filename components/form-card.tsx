import type { ReactNode } from "react";
import type { ErrorRecord } from "@/lib/edge/error-record";

/** A text input or select in a form: red border where the refusal names its field (`aria-invalid`). */
export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

const primary = "rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60";

/**
 * A settings form in its bordered card: its heading names it, the browser's own validation stays out of the way (the
 * route's refusal says what is wrong), the submit hands over the fields as FormData, and the refusal shows below the
 * fields as an alert. `id` prefixes the heading (`-title`) and the alert (`-error`), for fields that point at them.
 * `grid` lays the fields out (for example in one row from `sm`); the heading, the alert and `status` (what a submit
 * brought, announced politely) span every column.
 */
export function FormCard({
  id,
  title,
  grid = "",
  error,
  onSubmit,
  status,
  children,
}: {
  id: string;
  title: ReactNode;
  grid?: string;
  error: ErrorRecord | null;
  onSubmit: (form: FormData) => void;
  status?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form
      aria-labelledby={`${id}-title`}
      className={`grid gap-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900 ${grid}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(new FormData(e.currentTarget));
      }}
    >
      <h2 id={`${id}-title`} className="col-span-full text-lg font-semibold">
        {title}
      </h2>
      {children}
      {error && (
        <p id={`${id}-error`} role="alert" className="col-span-full rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
      {status !== undefined && (
        <div className="col-span-full" aria-live="polite">
          {status}
        </div>
      )}
    </form>
  );
}

/** The form's one main button; says what it is doing while the call is under way. */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  return (
    <button disabled={pending} className={primary}>
      {pending ? pendingLabel : label}
    </button>
  );
}

/** A form value as text ("" when absent). */
export const formText = (form: FormData, name: string) => String(form.get(name) ?? "");

/** A labelled field: the label above its control (`htmlFor` is the control's id), then any help below it. */
export function Field({ htmlFor, label, children }: { htmlFor: string; label: ReactNode; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-sm font-medium">
        {label}
      </label>
      {children}
    </div>
  );
}
