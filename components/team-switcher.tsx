"use client";

import { usePathname, useRouter } from "next/navigation";

export type TeamOption = { slug: string; name: string; role: string; personal: boolean };

export function TeamSwitcher({ teams, current }: { teams: TeamOption[]; current: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const section = pathname.split("/").slice(3).join("/") || "overview";
  return (
    <div>
      <label htmlFor="team-switcher" className="block text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Team
      </label>
      <select
        id="team-switcher"
        value={current}
        onChange={(e) => router.push(`/t/${e.target.value}/${section}`)}
        className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {teams.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
            {t.personal ? " (personal)" : ""} · {t.role.toLowerCase()}
          </option>
        ))}
      </select>
    </div>
  );
}
