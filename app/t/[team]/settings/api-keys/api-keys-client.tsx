"use client";

import { useId, useState } from "react";
import type {
  clearApiKeyLimitRoute as clearApiKeyLimitRouteContract,
  setApiKeyLimitRoute as setApiKeyLimitRouteContract,
} from "@/app/api/teams/[team]/api-keys/[id]/limit/contract";
import type { revokeApiKeyRoute as revokeApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/[id]/revoke/contract";
import type { apiKeysRoute as apiKeysRouteContract, createApiKeyRoute as createApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/contract";
import { ConfirmButtons } from "@/components/confirm-buttons";
import { CopyField } from "@/components/copy-field";
import { type Column, DataTable } from "@/components/data-table";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { Field, FormCard, formText, inputClass, SubmitButton } from "@/components/form-card";
import { formatCredits, formatDateTime } from "@/components/format";
import type { BodyOf, OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const revokeApiKeyRoute = endpoint<typeof revokeApiKeyRouteContract>("POST /api/teams/:team/api-keys/:id/revoke");
const apiKeysRoute = endpoint<typeof apiKeysRouteContract>("GET /api/teams/:team/api-keys");
const createApiKeyRoute = endpoint<typeof createApiKeyRouteContract>("POST /api/teams/:team/api-keys");
const setApiKeyLimitRoute = endpoint<typeof setApiKeyLimitRouteContract>("PUT /api/teams/:team/api-keys/:id/limit");
const clearApiKeyLimitRoute = endpoint<typeof clearApiKeyLimitRouteContract>("DELETE /api/teams/:team/api-keys/:id/limit");

type KeyRow = OutputOf<typeof apiKeysRouteContract>["keys"][number];

const roleLabel = { READ_ONLY: "Read-only", BILLING: "Billing" } as const;
const periodWord = { DAY: "day", WEEK: "week", MONTH: "month" } as const;
type Period = keyof typeof periodWord;

/** The team's keys (prefetched by the page, refetched after every change), creating one and revoking one. */
export function ApiKeysClient({ team }: { team: string }) {
  const [created, setCreated] = useState<{ name: string; secret: string; test: boolean } | null>(null);
  const { data } = useRouteQuery(apiKeysRoute, { params: { team } });
  return (
    <div className="mt-6 space-y-8">
      {created ? <NewSecret {...created} onDone={() => setCreated(null)} /> : <CreateForm team={team} onCreated={setCreated} />}
      <KeyTable team={team} keys={data?.keys ?? []} />
    </div>
  );
}

function CreateForm({ team, onCreated }: { team: string; onCreated: (k: { name: string; secret: string; test: boolean }) => void }) {
  const id = useId();
  const create = useRouteMutation(createApiKeyRoute, { params: { team } }, { onSuccess: (k) => onCreated({ name: k.name, secret: k.secret, test: k.test }) });
  const error = create.error?.record ?? null;
  return (
    <FormCard
      id={id}
      title="Create a key"
      grid="sm:grid-cols-[1fr_12rem_12rem_auto] sm:items-end"
      error={error}
      onSubmit={(form) =>
        create.mutate({
          name: formText(form, "name"),
          role: formText(form, "role") as BodyOf<typeof createApiKeyRouteContract>["role"],
          mode: formText(form, "mode") as NonNullable<BodyOf<typeof createApiKeyRouteContract>["mode"]>,
        })
      }
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
      <Field htmlFor={`${id}-mode`} label="Mode">
        <select
          id={`${id}-mode`}
          name="mode"
          defaultValue="live"
          aria-invalid={error?.field === "mode"}
          aria-describedby={`${id}-mode-help`}
          className={inputClass}
        >
          <option value="live">Live</option>
          <option value="test">Test (for CI)</option>
        </select>
      </Field>
      <p id={`${id}-mode-help`} className="col-span-full -mt-2 text-sm text-slate-600 dark:text-slate-400">
        A test key (<code>cdk_test_…</code>) spends the team&apos;s credits like a live one, but never below zero and never starts a charge: no auto top-up, no
        overage, no credit line. Its usage is marked “Test” in the history. It records usage and reads; budgets, webhooks and plans need a live key.
      </p>
      <SubmitButton pending={create.isPending} label="Create key" pendingLabel="Creating…" />
    </FormCard>
  );
}

function NewSecret({ name, secret, test, onDone }: { name: string; secret: string; test: boolean; onDone: () => void }) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={`${id}-title`} className="rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Your new {test ? "test " : ""}key “{name}”
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
    { header: "Mode", cell: (k) => (k.test ? <TestBadge /> : "Live") },
    { header: "Spending limit", cell: (k) => <LimitCell team={team} apiKey={k} /> },
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
      <ConfirmButtons pending={revoke.isPending} label="Revoke key" pendingLabel="Revoking…" onConfirm={() => revoke.mutate({})} onCancel={onCancel} />
    </div>
  );
}

function TestBadge() {
  return (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100" title="Never charged">
      Test
    </span>
  );
}

/** The key's limit and this period's spend; owners and admins change it inline, and confirm before removing it. */
function LimitCell({ team, apiKey: k }: { team: string; apiKey: KeyRow }) {
  const [mode, setMode] = useState<"show" | "edit" | "remove">("show");
  const limit = k.limit;
  const summary = limit ? (
    <span>
      {formatCredits(limit.credits)} credits a {periodWord[limit.period]}
      <span className="block text-xs text-slate-600 dark:text-slate-400">
        {formatCredits(limit.spent)} spent this {periodWord[limit.period]} ({Number((limit.spent * 100n) / limit.credits)}%)
      </span>
    </span>
  ) : (
    <span className="text-slate-600 dark:text-slate-400">None</span>
  );
  if (k.revokedAt) return summary;
  if (mode === "edit") return <LimitForm team={team} apiKey={k} onDone={() => setMode("show")} />;
  if (mode === "remove") return <ConfirmRemoveLimit team={team} apiKey={k} onDone={() => setMode("show")} />;
  return (
    <div className="space-y-1">
      {summary}
      <div className="flex gap-2 text-sm">
        <button
          type="button"
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          aria-label={`${limit ? "Change" : "Set"} the spending limit of ${k.name}`}
          onClick={() => setMode("edit")}
        >
          {limit ? "Change" : "Set limit"}
        </button>
        {limit && (
          <button
            type="button"
            className="font-medium text-red-700 hover:underline dark:text-red-300"
            aria-label={`Remove the spending limit of ${k.name}`}
            onClick={() => setMode("remove")}
          >
            Remove
          </button>
        )}
      </div>
    </div>
  );
}

function LimitForm({ team, apiKey: k, onDone }: { team: string; apiKey: KeyRow; onDone: () => void }) {
  const id = useId();
  const save = useRouteMutation(setApiKeyLimitRoute, { params: { team, id: k.id } }, { onSuccess: onDone });
  const error = save.error?.record ?? null;
  return (
    <form
      aria-label={`Spending limit of ${k.name}`}
      noValidate
      className="grid min-w-56 gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        save.mutate({ credits: formText(form, "credits").replace(/[,\s_]/g, ""), period: formText(form, "period") as Period });
      }}
    >
      <label htmlFor={`${id}-credits`} className="text-sm font-medium">
        Credits
      </label>
      <input
        id={`${id}-credits`}
        name="credits"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        defaultValue={k.limit ? k.limit.credits.toString() : ""}
        aria-invalid={error?.field === "credits"}
        aria-describedby={error ? `${id}-error` : undefined}
        className={inputClass}
      />
      <label htmlFor={`${id}-period`} className="text-sm font-medium">
        Per (UTC)
      </label>
      <select id={`${id}-period`} name="period" defaultValue={k.limit?.period ?? "MONTH"} aria-invalid={error?.field === "period"} className={inputClass}>
        <option value="DAY">Day</option>
        <option value="WEEK">Week (from Monday)</option>
        <option value="MONTH">Month</option>
      </select>
      {error && (
        <p id={`${id}-error`} role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
      <div className="flex gap-2">
        <button disabled={save.isPending} className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {save.isPending ? "Saving…" : "Save limit"}
        </button>
        <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "Remove the limit?": usage through the key is then bounded only by the team's balance and budget. */
function ConfirmRemoveLimit({ team, apiKey: k, onDone }: { team: string; apiKey: KeyRow; onDone: () => void }) {
  const remove = useRouteMutation(clearApiKeyLimitRoute, { params: { team, id: k.id } }, { onSuccess: onDone });
  return (
    <div role="group" aria-label={`Confirm removing the spending limit of ${k.name}`} className="space-y-2">
      <p>Remove the limit of “{k.name}”? It can then spend as much as the team&apos;s balance and budget allow.</p>
      {remove.error && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {remove.error.message}
        </p>
      )}
      <ConfirmButtons pending={remove.isPending} label="Remove limit" pendingLabel="Removing…" onConfirm={() => remove.mutate({})} onCancel={onDone} />
    </div>
  );
}
