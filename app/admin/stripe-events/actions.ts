"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminFormAction } from "@/lib/auth/admin-action";
import type { ActionResult } from "@/lib/auth/actions";
import { db } from "@/lib/db/client";
import { stripeClient } from "@/lib/stripe/client";
import { dismissEventFailure, replayEventFailure } from "@/lib/stripe/replay-event-failure";

const failureId = z.object({ id: z.string().regex(/^(evt|bad)_[A-Za-z0-9_]{1,250}$/, "not a failed event's id") });

export type EventActionState = ActionResult<{ message: string }> | null;

const replay = adminFormAction(failureId, async ({ input, userId }) => {
  const r = await replayEventFailure({ db: db(), stripe: stripeClient(), id: input.id, userId });
  revalidatePath("/admin/stripe-events");
  return { applied: r.ok, message: r.ok ? `Applied: ${r.outcome}.` : `Still failing: ${r.error}` };
});

const dismiss = adminFormAction(failureId, async ({ input, userId }) => {
  await dismissEventFailure({ db: db(), id: input.id, userId });
  revalidatePath("/admin/stripe-events");
  return { message: "Dismissed. It will not be applied." };
});

export async function replayEventAction(prev: EventActionState, form: FormData): Promise<EventActionState> {
  const r = await replay(prev, form);
  if (r.ok && !r.data.applied) return { ok: false, error: { code: "CONFLICT", message: r.data.message } };
  return r.ok ? { ok: true, data: { message: r.data.message } } : r;
}

export async function dismissEventAction(prev: EventActionState, form: FormData): Promise<EventActionState> {
  return dismiss(prev, form);
}
