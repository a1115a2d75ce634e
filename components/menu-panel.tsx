"use client";

import { usePathname } from "next/navigation";
import { useId, useState } from "react";

/**
 * On a phone the navigation folds behind a "Menu" button beside the app's name, so the first screen shows the page and
 * every section is one tap away; from the md breakpoint up it is always shown. Opening it belongs to the page it was
 * opened on: following a link closes it.
 */
export function MenuPanel({ brand, children }: { brand: React.ReactNode; children: React.ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const id = useId();
  return (
    <>
      <div className="flex items-center justify-between">
        {brand}
        <button
          type="button"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpenOn(open ? null : pathname)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 md:hidden dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          Menu
        </button>
      </div>
      <div id={id} className={`${open ? "block" : "hidden"} md:block`}>
        {children}
      </div>
    </>
  );
}
