import type { Db } from "../../db/client";
import { type BillingConfig, billingConfig } from "../config";
import { applyDebits, type DebitOutcome, type DebitRequest } from "../ledger/apply-debits";

type Job = { items: readonly DebitRequest[]; resolve: (r: DebitOutcome[]) => void; reject: (e: unknown) => void };
type TeamQueue = { jobs: Job[]; inFlight: number; scheduled: boolean };

/**
 * Group commit for debits: per team, debits that arrive while the team is idle wait one turn of the event loop (or
 * windowMs), debits that arrive while a batch is in flight wait for it; each batch is applied by applyDebits in one
 * transaction. Correct across processes because every batch locks the team row; a batch here only saves commits.
 */
export class DebitBatcher {
  private readonly teams = new Map<string, TeamQueue>();

  constructor(
    private readonly db: Db,
    private readonly opts: BillingConfig["debitBatch"] = billingConfig().debitBatch,
  ) {}

  /** Queues a team's debits (kept together and in order) and resolves with one outcome per debit. */
  submit(teamId: string, items: readonly DebitRequest[]): Promise<DebitOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      let q = this.teams.get(teamId);
      if (!q) {
        q = { jobs: [], inFlight: 0, scheduled: false };
        this.teams.set(teamId, q);
      }
      q.jobs.push({ items, resolve, reject });
      this.schedule(teamId, q);
    });
  }

  /** Teams with queued or in-flight debits (tests, shutdown). */
  get busyTeams(): number {
    return this.teams.size;
  }

  private schedule(teamId: string, q: TeamQueue): void {
    if (q.scheduled || q.inFlight >= this.opts.maxInFlight || q.jobs.length === 0) return;
    q.scheduled = true;
    const run = () => {
      q.scheduled = false;
      this.flush(teamId, q);
    };
    if (this.opts.windowMs > 0 && q.inFlight === 0) setTimeout(run, this.opts.windowMs);
    else setImmediate(run);
  }

  private flush(teamId: string, q: TeamQueue): void {
    while (q.inFlight < this.opts.maxInFlight && q.jobs.length > 0) {
      const batch: Job[] = [];
      let size = 0;
      while (q.jobs.length > 0 && (batch.length === 0 || size + q.jobs[0]!.items.length <= this.opts.maxBatch)) {
        const job = q.jobs.shift()!;
        batch.push(job);
        size += job.items.length;
      }
      const debits = batch.length === 1 ? batch[0]!.items : batch.flatMap((j) => j.items);
      q.inFlight++;
      // The next batch leaves before this one's callers are answered: debits that queued meanwhile have waited one
      // batch already, and the database works on them while this process writes the answers (no idle turn between).
      const done = () => {
        q.inFlight--;
        if (q.jobs.length > 0) this.flush(teamId, q);
        else if (q.inFlight === 0 && !q.scheduled) this.teams.delete(teamId);
      };
      applyDebits({ db: this.db, teamId, debits }).then(
        (outcomes) => {
          done();
          let at = 0;
          for (const job of batch) {
            job.resolve(outcomes.slice(at, at + job.items.length));
            at += job.items.length;
          }
        },
        async (e: unknown) => {
          if (batch.length === 1) {
            done();
            return batch[0]!.reject(e);
          }
          // One caller's bad input must not fail the others it was batched with: the transaction rolled back, so
          // apply each caller's debits on their own and let only the failing one see the error.
          for (const job of batch) {
            await applyDebits({ db: this.db, teamId, debits: job.items }).then(job.resolve, job.reject);
          }
          done();
        },
      );
    }
  }
}

const batchers = new WeakMap<Db, DebitBatcher>();

/** The process's batcher for a client (one per client, so each test database gets its own). */
export function debitBatcherFor(db: Db): DebitBatcher {
  let b = batchers.get(db);
  if (!b) {
    b = new DebitBatcher(db);
    batchers.set(db, b);
  }
  return b;
}
