/** While the return page asks Stripe how the checkout ended (fulfilling it if paid), say so instead of a blank page. */
export default function Loading() {
  return (
    <section aria-labelledby="page-title" aria-busy="true" className="max-w-2xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Checking your payment…
      </h1>
      <p
        role="status"
        className="mt-4 rounded-lg border border-slate-200 bg-white p-5 text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400"
      >
        <span className="block h-6 w-48 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true" />
        <span className="mt-3 block">Asking Stripe how your checkout ended. This takes a moment.</span>
      </p>
    </section>
  );
}
