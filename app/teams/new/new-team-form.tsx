"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import type { createTeamRoute as createTeamRouteContract } from "@/app/api/teams/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const createTeamRoute = endpoint<typeof createTeamRouteContract>("POST /api/teams");

export function NewTeamForm() {
  const id = useId();
  const router = useRouter();
  const create = useRouteMutation(createTeamRoute, { params: {}, refresh: false }, { onSuccess: (t) => router.push(`/t/${t.slug}/settings/members`) });
  const error = create.error?.record ?? null;
  return (
    <form
      className="mt-6 space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
      }}
    >
      <div>
        <label htmlFor={`${id}-name`} className="block text-sm font-medium">
          Team name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={60}
          autoComplete="organization"
          aria-invalid={error?.field === "name"}
          aria-describedby={error ? `${id}-error` : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
      <button
        disabled={create.isPending || create.isSuccess}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {create.isPending || create.isSuccess ? "Creating…" : "Create team"}
      </button>
    </form>
  );
}
