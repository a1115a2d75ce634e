/** The two buttons of an inline "are you sure?": the red one that does it (saying so while pending) and Cancel. */
export function ConfirmButtons({
  pending,
  label,
  pendingLabel,
  onConfirm,
  onCancel,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="flex gap-2">
      <button
        type="button"
        disabled={pending}
        className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-60"
        onClick={onConfirm}
      >
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
