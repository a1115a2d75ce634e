export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-slate-600 dark:border-slate-700 dark:text-slate-400">
        <p className="font-medium text-slate-800 dark:text-slate-200">Coming soon</p>
        <p className="mt-1">{what}</p>
      </div>
    </section>
  );
}
