"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import type { createTeamRoute as createTeamRouteContract } from "@/app/api/teams/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { Field, formText, inputClass, SubmitButton } from "@/components/form-card";
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
        create.mutate({ name: formText(new FormData(e.currentTarget), "name") });
      }}
    >
      <Field htmlFor={`${id}-name`} label="Team name">
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={60}
          autoComplete="organization"
          aria-invalid={error?.field === "name"}
          aria-describedby={error ? `${id}-error` : undefined}
          className={inputClass}
        />
      </Field>
      {error && (
        <p id={`${id}-error`} role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
      <SubmitButton pending={create.isPending || create.isSuccess} label="Create team" pendingLabel="Creating…" />
    </form>
  );
}
