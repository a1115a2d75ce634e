import type { Metadata } from "next";
import Link from "next/link";
import { userPage } from "@/lib/edge/page";
import { NewTeamForm } from "./new-team-form";

export const metadata: Metadata = { title: "New team" };
export const dynamic = "force-dynamic";

export default async function NewTeamPage() {
  await userPage("/teams/new");
  return (
    <main id="main" className="mx-auto max-w-lg p-8">
      <p className="text-sm">
        <Link href="/" className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to your dashboard
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-semibold">Create a team</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        A team has its own balance, plan, invoices and members; you will be its owner. Your personal team stays as it is.
      </p>
      <NewTeamForm />
    </main>
  );
}
