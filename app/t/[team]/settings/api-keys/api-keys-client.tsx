"use client";

import { useId, useState } from "react";
import type { revokeApiKeyRoute as revokeApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/[id]/revoke/contract";
import type { apiKeysRoute as apiKeysRouteContract, createApiKeyRoute as createApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/contract";
import { CopyField } from "@/components/copy-field";
import { type Column, DataTable } from "@/components/data-table";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { Field, FormCard, formText, inputClass, SubmitButton } from "@/components/form-card";
import { formatDateTime } from "@/components/format";
import type { BodyOf, OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const revokeApiKeyRoute = endpoint<typeof revokeApiKeyRouteContract>("POST /api/teams/:team/api-keys/:id/revoke");
const apiKeysRoute = endpoint<typeof apiKeysRouteContract>("GET /api/teams/:team/api-keys");
const createApiKeyRoute = endpoint<typeof createApiKeyRouteContract>("POST /api/teams/:team/api-keys");

type KeyRow = OutputOf<typeof apiKeysRouteContract>["keys"][number];

const roleLabel = { READ_ONLY: "Read-only", BILLING: "Billing" } as const;

/** The team's keys (prefetched by the page, refetched after every change), creating one and revoking one. */
export function ApiKeysClient({ team }: { team: string }) {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const { data } = useRouteQuery(apiKeysRoute, { params: { team } });
  return (
    <div className="mt-6 space-y-8">
      {created ? <NewSecret {...created} onDone={() => setCreated(null)} /> : <CreateForm team={team} onCreated={setCreated} />}
      <KeyTable team={team} keys={data?.keys ?? []} />
    </div>
  );
}

function CreateForm({ team, onCreated }: { team: string; onCreated: (k: { name: string; secret: string }) => void }) {
  const id = useId();
  const create = useRouteMutation(createApiKeyRoute, { params: { team } }, { onSuccess: (k) => onCreated({ name: k.name, secret: k.secret }) });
  const error = create.error?.record ?? null;
  return (
    <FormCard
      id={id}
      title="Create a key"
      grid="sm:grid-cols-[1fr_12rem_auto] sm:items-end"
      error={error}
      onSubmit={(form) => create.mutate({ name: formText(form, "name"), role: formText(form, "role") as BodyOf<typeof createApiKeyRouteContract>["role"] })}
    >
      <Field htmlFor={`${id}-name`} label="Name">
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Production worker"
          aria-invalid={error?.field === "name"}
          className={inputClass}
        />
      </Field>
      <Field htmlFor={`${id}-role`} label="Role">
        <select id={`${id}-role`} name="role" defaultValue="BILLING" aria-invalid={error?.field === "role"} className={inputClass}>
          <option value="BILLING">Billing (record usage)</option>
          <option value="READ_ONLY">Read-only</option>
        </select>
      </Field>
      <SubmitButton pending={create.isPending} label="Create key" pendingLabel="Creating…" />
    </FormCard>
  );
}

function NewSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={`${id}-title`} className="rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Your new key “{name}”
      </h2>
      <p className="mt-1 text-sm">Copy it now and keep it somewhere safe. It is shown only this once; Creditdesk stores only its hash.</p>
      <CopyField label="API key" value={secret} what="key" />
      <p className="mt-2 text-sm">
        Use it as <code className="rounded bg-white/70 px-1 dark:bg-black/30">Authorization: Bearer {secret.slice(0, 12)}…</code>
      </p>
      <button type="button" onClick={onDone} className="mt-4 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
        I have copied it
      </button>
    </div>
  );
}

function KeyTable({ team, keys }: { team: string; keys: KeyRow[] }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (keys.length === 0) return <p className="text-slate-600 dark:text-slate-400">No API keys yet.</p>;
  const columns: Column<KeyRow>[] = [
    { header: "Name", className: "font-medium", cell: (k) => k.name },
    { header: "Key", className: "font-mono", cell: (k) => `${k.prefix}…` },
    { header: "Role", cell: (k) => roleLabel[k.role] },
    { header: "Created", cell: (k) => formatDateTime(k.createdAt) },
    { header: "Last used", cell: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never") },
    {
      header: "Status and actions",
      hideHeader: true,
      cell: (k) =>
        k.revokedAt ? (
          <span>Revoked {formatDateTime(k.revokedAt)}</span>
        ) : confirming === k.id ? (
          <ConfirmRevoke
            team={team}
            apiKey={k}
            onCancel={() => setConfirming(null)}
            onDone={(message) => {
              setConfirming(null);
              setError(message);
            }}
          />
        ) : (
          <button
            type="button"
            className="rounded-md border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
            aria-label={`Revoke ${k.name}`}
            onClick={() => setConfirming(k.id)}
          >
            Revoke
          </button>
        ),
    },
  ];
  return (
    <div>
      <h2 className="text-lg font-semibold">Keys</h2>
      {error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error}
        </p>
      )}
      <DataTable
        plain
        columns={columns}
        rows={keys}
        rowKey={(k) => k.id}
        rowClassName={(k) => (k.revokedAt ? "text-slate-500 dark:text-slate-400" : "")}
        className="mt-3"
      />
    </div>
  );
}

/** "Revoke “name”?": the one row being confirmed, with its own revoke call. */
function ConfirmRevoke({ team, apiKey: k, onCancel, onDone }: { team: string; apiKey: KeyRow; onCancel: () => void; onDone: (error: string | null) => void }) {
  const revoke = useRouteMutation(revokeApiKeyRoute, { params: { team, id: k.id } }, { onSuccess: () => onDone(null), onError: (e) => onDone(e.message) });
  return (
    <div role="group" aria-label={`Confirm revoking ${k.name}`} className="space-y-2">
      <p>Revoke “{k.name}”? Programs using it get 401 at once. This cannot be undone.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={revoke.isPending}
          className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-60"
          onClick={() => revoke.mutate({})}
        >
          {revoke.isPending ? "Revoking…" : "Revoke key"}
        </button>
        <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
