"use client";

import { useId, useState } from "react";
import type {
  createTeamWebhookRoute as createRouteContract,
  deleteTeamWebhookRoute as deleteRouteContract,
  resendTeamDeliveryRoute as resendRouteContract,
  teamWebhookDeliveriesRoute as deliveriesRouteContract,
  teamWebhooksRoute as listRouteContract,
  updateTeamWebhookRoute as updateRouteContract,
} from "@/app/api/teams/[team]/webhooks/contract";
import { ConfirmButtons } from "@/components/confirm-buttons";
import { type Column, DataTable, EmptyNote, WhenColumnHidden } from "@/components/data-table";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { Field, FormCard, formText, inputClass, SubmitButton } from "@/components/form-card";
import { formatDateTime } from "@/components/format";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/billing/webhooks/event-types";
import type { BodyOf, OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";
import type { ErrorRecord } from "@/lib/edge/error-record";

const listRoute = endpoint<typeof listRouteContract>("GET /api/teams/:team/webhooks");
const createRoute = endpoint<typeof createRouteContract>("POST /api/teams/:team/webhooks");
const updateRoute = endpoint<typeof updateRouteContract>("PATCH /api/teams/:team/webhooks/:id");
const deleteRoute = endpoint<typeof deleteRouteContract>("DELETE /api/teams/:team/webhooks/:id");
const deliveriesRoute = endpoint<typeof deliveriesRouteContract>("GET /api/teams/:team/webhooks/:id/deliveries");
const resendRoute = endpoint<typeof resendRouteContract>("POST /api/teams/:team/webhooks/deliveries/:id/resend");

type Hook = OutputOf<typeof listRouteContract>["webhooks"][number];
type Delivery = OutputOf<typeof deliveriesRouteContract>["deliveries"][number];

const eventWords = (e: string) => e.replace(/_/g, " ");
const secondary = "rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800";
const danger = "rounded-md border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950";

/**
 * A random signing secret: 32 random bytes in base64url (43 characters). Every secret, generated or typed (the seed's
 * "min-32-char-shared-secret-..."), signs as its raw characters, so receivers verify with `format: "raw"` (README). No
 * "whsec_" prefix: that form means base64 to Standard Webhooks libraries, and would tempt the default mode.
 */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The team's endpoints (prefetched by the page, asked again after every change), adding one, and each one's card. */
export function WebhooksClient({ team, manage }: { team: string; manage: boolean }) {
  const { data } = useRouteQuery(listRoute, { params: { team } });
  const hooks = data?.webhooks;
  return (
    <div className="mt-6 space-y-8">
      {manage && <AddForm team={team} />}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="text-lg font-semibold">
          Endpoints
        </h2>
        {hooks === undefined ? (
          <p role="status" className="mt-3 text-slate-600 dark:text-slate-400">
            Loading endpoints…
          </p>
        ) : hooks.length === 0 ? (
          <EmptyNote className="mt-3" testId="webhooks-empty">
            No webhook endpoints yet.{manage ? " Add one above to receive billing events." : ""}
          </EmptyNote>
        ) : (
          <ul className="mt-3 space-y-4">
            {hooks.map((h) => (
              <EndpointCard key={h.id} team={team} hook={h} manage={manage} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The event types as checkboxes with what each means. */
function EventChoices({ id, chosen, invalid }: { id: string; chosen: readonly string[]; invalid: boolean }) {
  return (
    <fieldset className="col-span-full" aria-invalid={invalid}>
      <legend className="text-sm font-medium">Events</legend>
      <ul className="mt-2 grid gap-2 sm:grid-cols-2">
        {WEBHOOK_EVENT_TYPES.map((t) => (
          <li key={t} className="flex items-start gap-2">
            <input
              id={`${id}-${t}`}
              type="checkbox"
              name="events"
              value={t}
              defaultChecked={chosen.includes(t)}
              aria-describedby={`${id}-${t}-about`}
              className="mt-1 h-4 w-4"
            />
            <label htmlFor={`${id}-${t}`} className="text-sm">
              <span className="font-mono">{t}</span>
              <span id={`${id}-${t}-about`} className="block text-slate-600 dark:text-slate-400">
                {WEBHOOK_EVENT_DESCRIPTIONS[t]}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** The secret field with a Generate button; a generated secret is shown with the advice to copy it now. */
function SecretField({ id, required, error }: { id: string; required: boolean; error: ErrorRecord | null }) {
  const [value, setValue] = useState("");
  const [generated, setGenerated] = useState(false);
  return (
    <div className="col-span-full">
      <label htmlFor={`${id}-secret`} className="block text-sm font-medium">
        {required ? "Signing secret" : "New signing secret (leave empty to keep the current one)"}
      </label>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          id={`${id}-secret`}
          name="secret"
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setGenerated(false);
          }}
          autoComplete="off"
          spellCheck={false}
          minLength={32}
          maxLength={256}
          aria-describedby={`${id}-secret-help`}
          aria-invalid={error?.field === "secret"}
          className={`${inputClass} mt-0 min-w-0 flex-1 font-mono text-sm`}
        />
        <button
          type="button"
          className={secondary}
          onClick={() => {
            setValue(newSecret());
            setGenerated(true);
          }}
        >
          Generate
        </button>
      </div>
      <p id={`${id}-secret-help`} className="mt-1 text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        {generated
          ? "Copy this secret now and give it to your receiver: it verifies each delivery's signature with it. Creditdesk shows only its last four characters later."
          : "32 to 256 characters without spaces. Your receiver uses it to verify each delivery's webhook-signature."}
      </p>
    </div>
  );
}

function AddForm({ team }: { team: string }) {
  const id = useId();
  // A new round after each endpoint added: the form starts again empty (its secret too).
  const [round, setRound] = useState(0);
  const [added, setAdded] = useState<string | null>(null);
  const create = useRouteMutation(
    createRoute,
    { params: { team } },
    {
      onSuccess: (h) => {
        setAdded(h.url);
        setRound((r) => r + 1);
      },
    },
  );
  const error = create.error?.record ?? null;
  return (
    <FormCard
      key={round}
      id={id}
      title="Add an endpoint"
      grid="sm:grid-cols-2"
      error={error}
      status={added ? <p className="text-emerald-800 dark:text-emerald-300">Endpoint added: {added}</p> : undefined}
      onSubmit={(form) => {
        setAdded(null);
        create.mutate({
          url: formText(form, "url"),
          description: formText(form, "description") || null,
          events: form.getAll("events").map(String) as WebhookEventType[],
          secret: formText(form, "secret"),
        });
      }}
    >
      <Field htmlFor={`${id}-url`} label="Endpoint URL">
        <input
          id={`${id}-url`}
          name="url"
          type="url"
          required
          maxLength={2048}
          autoComplete="off"
          placeholder="https://your-app.com/billing-events"
          aria-invalid={error?.field === "url"}
          className={inputClass}
        />
      </Field>
      <Field htmlFor={`${id}-description`} label="Description (optional)">
        <input
          id={`${id}-description`}
          name="description"
          maxLength={200}
          autoComplete="off"
          placeholder="e.g. Accounting sync"
          aria-invalid={error?.field === "description"}
          className={inputClass}
        />
      </Field>
      <EventChoices id={id} chosen={["invoice_created", "invoice_paid", "invoice_failed", "budget_alert"]} invalid={!!error?.field?.startsWith("events")} />
      <SecretField id={id} required error={error} />
      <div className="col-span-full">
        <SubmitButton pending={create.isPending} label="Add endpoint" pendingLabel="Adding…" />
      </div>
    </FormCard>
  );
}

function StatusBadge({ hook }: { hook: Hook }) {
  const [text, look] =
    hook.status === "enabled"
      ? ["Enabled", "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100"]
      : hook.disabled_reason === "failing"
        ? ["Disabled after failures", "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100"]
        : ["Disabled by owner", "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100"];
  return <span className={`rounded px-2 py-0.5 text-xs font-semibold ${look}`}>{text}</span>;
}

function EndpointCard({ team, hook, manage }: { team: string; hook: Hook; manage: boolean }) {
  const id = useId();
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const toggle = useRouteMutation(updateRoute, { params: { team, id: hook.id } }, { onError: (e) => setProblem(e.message), onSuccess: () => setProblem(null) });
  const label = hook.description ?? hook.url;
  return (
    <li aria-labelledby={`${id}-url`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="webhook">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={`${id}-url`} className="font-mono text-sm font-semibold break-all">
          {hook.url}
        </h3>
        <StatusBadge hook={hook} />
      </div>
      {hook.description && <p className="mt-1 text-sm">{hook.description}</p>}
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Events: {hook.events.map(eventWords).join(", ")} · Secret <span className="font-mono">{hook.secret_hint}</span> · Added{" "}
        {formatDateTime(hook.created_at)}
      </p>
      {hook.disabled_reason === "failing" && (
        <p className="mt-1 text-sm text-red-800 dark:text-red-300">
          Every delivery failed{hook.failing_since ? ` since ${formatDateTime(hook.failing_since)}` : ""}, so Creditdesk turned it off. Fix the receiver, then
          enable it again.
        </p>
      )}
      {problem && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {problem}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        {manage && mode === "view" && (
          <>
            <button type="button" className={secondary} aria-label={`Edit ${label}`} onClick={() => setMode("edit")}>
              Edit
            </button>
            <button
              type="button"
              className={secondary}
              disabled={toggle.isPending}
              aria-label={`${hook.status === "enabled" ? "Disable" : "Enable"} ${label}`}
              onClick={() => toggle.mutate({ enabled: hook.status !== "enabled" })}
            >
              {toggle.isPending ? "Saving…" : hook.status === "enabled" ? "Disable" : "Enable"}
            </button>
            <button type="button" className={danger} aria-label={`Delete ${label}`} onClick={() => setMode("delete")}>
              Delete
            </button>
          </>
        )}
        <button
          type="button"
          className={secondary}
          aria-expanded={showDeliveries}
          aria-controls={`${id}-deliveries`}
          aria-label={`${showDeliveries ? "Hide" : "Show"} deliveries to ${label}`}
          onClick={() => setShowDeliveries((s) => !s)}
        >
          {showDeliveries ? "Hide deliveries" : "Deliveries"}
        </button>
      </div>
      {mode === "delete" && <ConfirmDelete team={team} hook={hook} label={label} onCancel={() => setMode("view")} />}
      {mode === "edit" && <EditForm team={team} hook={hook} onDone={() => setMode("view")} />}
      <div id={`${id}-deliveries`} hidden={!showDeliveries}>
        {showDeliveries && <Deliveries team={team} hook={hook} manage={manage} />}
      </div>
    </li>
  );
}

function ConfirmDelete({ team, hook, label, onCancel }: { team: string; hook: Hook; label: string; onCancel: () => void }) {
  const remove = useRouteMutation(deleteRoute, { params: { team, id: hook.id } });
  return (
    <div role="group" aria-label={`Confirm deleting ${label}`} className="mt-3 space-y-2 rounded-md bg-red-50 p-3 dark:bg-red-950">
      <p>Delete the endpoint {hook.url}? Pending deliveries to it stop and its delivery history is removed. This cannot be undone.</p>
      {remove.error && (
        <p role="alert" className="text-red-900 dark:text-red-100">
          {remove.error.message}
        </p>
      )}
      <ConfirmButtons pending={remove.isPending} label="Delete endpoint" pendingLabel="Deleting…" onConfirm={() => remove.mutate({})} onCancel={onCancel} />
    </div>
  );
}

function EditForm({ team, hook, onDone }: { team: string; hook: Hook; onDone: () => void }) {
  const id = useId();
  const update = useRouteMutation(updateRoute, { params: { team, id: hook.id } }, { onSuccess: onDone });
  const error = update.error?.record ?? null;
  return (
    <div className="mt-3">
      <FormCard
        id={id}
        title={`Edit ${hook.description ?? "endpoint"}`}
        grid="sm:grid-cols-2"
        error={error}
        onSubmit={(form) => {
          const secret = formText(form, "secret");
          const body: BodyOf<typeof updateRouteContract> = {
            url: formText(form, "url"),
            description: formText(form, "description") || null,
            events: form.getAll("events").map(String) as WebhookEventType[],
            ...(secret ? { secret } : {}),
          };
          update.mutate(body);
        }}
      >
        <Field htmlFor={`${id}-url`} label="Endpoint URL">
          <input id={`${id}-url`} name="url" type="url" defaultValue={hook.url} maxLength={2048} aria-invalid={error?.field === "url"} className={inputClass} />
        </Field>
        <Field htmlFor={`${id}-description`} label="Description (optional)">
          <input
            id={`${id}-description`}
            name="description"
            defaultValue={hook.description ?? ""}
            maxLength={200}
            aria-invalid={error?.field === "description"}
            className={inputClass}
          />
        </Field>
        <EventChoices id={id} chosen={hook.events} invalid={!!error?.field?.startsWith("events")} />
        <SecretField id={id} required={false} error={error} />
        <div className="col-span-full flex gap-2">
          <SubmitButton pending={update.isPending} label="Save changes" pendingLabel="Saving…" />
          <button type="button" className={secondary} onClick={onDone}>
            Cancel
          </button>
        </div>
      </FormCard>
    </div>
  );
}

const deliveryStatus: Record<Delivery["status"], string> = { pending: "Retrying", succeeded: "Delivered", failed: "Failed" };

/** The endpoint's deliveries, newest first, 20 a page (keyset: Older follows next_cursor). */
function Deliveries({ team, hook, manage }: { team: string; hook: Hook; manage: boolean }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, isError, error } = useRouteQuery(deliveriesRoute, { params: { team, id: hook.id }, query: cursor ? { cursor } : {} });
  const columns: Column<Delivery>[] = [
    {
      header: "Event",
      rowHeader: true,
      cell: (d) => (
        <>
          <span className="font-medium">{eventWords(d.event_type)}</span>
          <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">{d.event_id}</span>
          <WhenColumnHidden priority={2} className="text-xs text-slate-600 dark:text-slate-400">
            {formatDateTime(d.created_at)}
          </WhenColumnHidden>
        </>
      ),
    },
    { header: "Status", cell: (d) => deliveryStatus[d.status] },
    { header: "Attempts", priority: 3, align: "right", cell: (d) => d.attempts },
    { header: "Response", priority: 2, cell: (d) => d.last_status_code ?? (d.attempts > 0 ? "No answer" : "—") },
    { header: "Latency", priority: 3, align: "right", cell: (d) => (d.last_latency_ms === null ? "—" : `${d.last_latency_ms} ms`) },
    { header: "Time", priority: 2, cell: (d) => formatDateTime(d.last_attempt_at ?? d.created_at) },
    ...(manage ? [{ header: "Actions", hideHeader: true, cell: (d: Delivery) => <ResendButton team={team} delivery={d} /> }] : []),
  ];
  if (isError) {
    return (
      <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
        {error.message}
      </p>
    );
  }
  if (data === undefined) {
    return (
      <p role="status" className="mt-3 text-slate-600 dark:text-slate-400">
        Loading deliveries…
      </p>
    );
  }
  return (
    <div className="mt-3">
      <DataTable
        columns={columns}
        rows={data.deliveries}
        rowKey={(d) => d.id}
        caption={`Deliveries to ${hook.url}`}
        empty={cursors.length ? "No older deliveries." : "No deliveries yet: events this endpoint subscribes to will show here as they are sent."}
      />
      {(cursors.length > 0 || data.has_more) && (
        <div className="mt-2 flex gap-2">
          {cursors.length > 0 && (
            <button type="button" className={secondary} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </button>
          )}
          {data.has_more && data.next_cursor && (
            <button type="button" className={secondary} onClick={() => setCursors((c) => [...c, data.next_cursor!])}>
              Older
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function ResendButton({ team, delivery }: { team: string; delivery: Delivery }) {
  const resend = useRouteMutation(resendRoute, { params: { team, id: delivery.id } });
  return (
    <span className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={secondary}
        disabled={resend.isPending}
        aria-label={`Resend ${eventWords(delivery.event_type)} ${delivery.event_id}`}
        onClick={() => resend.mutate({})}
      >
        {resend.isPending ? "Resending…" : "Resend"}
      </button>
      <span role="status" className="text-sm">
        {resend.isSuccess ? "Resend queued" : resend.error ? <span className="text-red-800 dark:text-red-300">{resend.error.message}</span> : null}
      </span>
    </span>
  );
}
