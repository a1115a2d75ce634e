import type { Transporter } from "nodemailer";
import { sweepAutoTopUps } from "../billing/auto-top-up/sweep-auto-top-ups";
import { rollApiKeyLimitAlerts } from "../billing/api-keys/roll-limit-alerts";
import type { BillingGateway } from "../billing/gateway";
import { expireGrants } from "../billing/ledger/expire-grants";
import { sweepStatements } from "../billing/statements/sweep-statements";
import { sweepAnnualPlanCredits } from "../billing/subscriptions/sweep-annual-plan-credits";
import { sweepFreeAllowances } from "../billing/subscriptions/sweep-free-allowances";
import { webhookJobDefinitions } from "../billing/webhooks/webhook-jobs";
import type { Db } from "../db/client";
import { sendPendingEmails } from "../notifications/send-pending-emails";
import { type JobDefinition, processQueue } from "./queue";

// The app's background work, run on the job queue: each cron line fires once per tick for all instances together.
// Every job stays safe to run twice or in two instances at once (row locks, idempotency keys, SKIP LOCKED), because
// the queue delivers at least once. Policy "short": at most one run waits, so a slow run is never followed by a pile of
// ticks. Not "stately" (one running at most): a run left active by a crashed instance would hold the job back until
// it expires, and two runs at once are safe anyway. No retries: the next tick is the retry.

export const APP_JOB = {
  grantExpiry: "grant-expiry",
  planCredits: "plan-credits",
  statements: "statements",
  autoTopUps: "auto-top-up-sweep",
  emails: "notification-emails",
} as const;

export type AppJobDeps = {
  db: Db;
  /** Stripe, when configured: statements and the auto top-up sweep do nothing without it. */
  gateway: BillingGateway | null;
  /** SMTP, when configured (EMAIL_SERVER): notification emails wait in their table without it. */
  email: { transport: Transporter; from: string } | null;
  now?: () => Date;
};

/** The notification email sweep runs twice a minute: on the minute tick, and once more this many seconds later. */
export const EMAIL_FOLLOW_UP_SECONDS = 30;

const sweep = (expireInSeconds: number) => ({ policy: "short" as const, retryLimit: 0, expireInSeconds });

/** A sweep over teams, page by page (500 teams each) until a page comes back short, at most 20 pages a tick. */
async function inPages(sweepPage: (limit: number) => Promise<{ teams: number }>): Promise<void> {
  for (let page = 0; page < 20; page++) if ((await sweepPage(500)).teams < 500) break;
}

const logged =
  <T extends object>(name: string, run: (data: T) => Promise<unknown>): JobDefinition<T>["run"] =>
  async (data) => {
    try {
      await run(data);
    } catch (e) {
      console.error(`[creditdesk] job ${name} failed:`, e);
      throw e;
    }
  };

/** The one list of jobs every instance registers (instrumentation.ts): the billing sweeps and webhook delivery's jobs. */
export function appJobs(deps: AppJobDeps): JobDefinition<never>[] {
  return [...billingJobs(deps), ...webhookJobDefinitions({ db: () => deps.db, queue: processQueue })];
}

function billingJobs({ db, gateway, email, now = () => new Date() }: AppJobDeps): JobDefinition<never>[] {
  const jobs: JobDefinition<{ followUp?: boolean }>[] = [
    {
      // Debits expire a team's due grants themselves; this makes expiry entries appear on time for idle teams. It also
      // clears API keys' spending-limit alerts whose period ended, for keys nobody is using.
      name: APP_JOB.grantExpiry,
      cron: "* * * * *",
      options: sweep(300),
      run: logged(APP_JOB.grantExpiry, async () => {
        await inPages((limit) => expireGrants({ db, limit }));
        await rollApiKeyLimitAlerts({ db });
      }),
    },
    {
      // Free's monthly allowance early in each cycle, and each later month's credits of annual plans (keyed per cycle).
      name: APP_JOB.planCredits,
      cron: "*/5 * * * *",
      options: sweep(900),
      run: logged(APP_JOB.planCredits, async () => {
        await inPages((limit) => sweepFreeAllowances({ db, now: now(), limit }));
        await sweepAnnualPlanCredits({ db, now: now() });
      }),
    },
    {
      // Bills what teams drew below zero at each cycle's end (a statement is unique per team, kind and boundary).
      name: APP_JOB.statements,
      cron: "*/5 * * * *",
      options: sweep(900),
      run: logged(APP_JOB.statements, async () => {
        if (gateway) await sweepStatements({ db, gateway, now: now() });
      }),
    },
    {
      // Finishes auto top-ups whose claim was left in flight (a crash between claim and charge), and due ones.
      name: APP_JOB.autoTopUps,
      cron: "* * * * *",
      options: sweep(300),
      run: logged(APP_JOB.autoTopUps, async () => {
        if (gateway) await sweepAutoTopUps({ db, gateway, now: now() });
      }),
    },
    {
      // Budget alerts, invitations and confirmations within half a minute: cron is per minute, so the tick's run asks
      // for one more half a minute later.
      name: APP_JOB.emails,
      cron: "* * * * *",
      options: sweep(300),
      run: logged(APP_JOB.emails, async (data) => {
        if (!email) return;
        await sendPendingEmails({ db, ...email });
        if (!data.followUp) await processQueue()?.send(APP_JOB.emails, { followUp: true }, { startAfter: EMAIL_FOLLOW_UP_SECONDS });
      }),
    },
  ];
  return jobs as JobDefinition<never>[];
}
